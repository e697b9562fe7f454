// operator new/delete for the hardened-runtime binary (not the library, the tests or sanitizer builds).
//
// A create builds two JSON documents node by node: some 4,400 small allocations in a process that lives
// about a millisecond. glibc's malloc sent three in four of them down its slow path (its per-thread cache
// holds 7 blocks a size, and a fresh process has none), a fifth of all the instructions of a create.
// Here a small block comes from a free list per 16-byte size class, else from the end of a chunk: a
// handful of instructions either way. Freed blocks are reused, so long runs (audit over many containers)
// do not grow. The binary has one thread (no std::thread, no pthread_create anywhere in src/).
#include <cstdlib>
#include <new>

namespace {

constexpr std::size_t kGranule = 16;              // alignof(std::max_align_t)
constexpr std::size_t kLargest = 1024;            // bigger blocks go to malloc
constexpr std::size_t kClasses = kLargest / kGranule;
constexpr std::size_t kChunk = 128 * 1024 - 64;   // just under glibc's mmap threshold: carved from its heap
constexpr unsigned char kLarge = 0xff;            // size class byte of a block that came from malloc

struct FreeBlock {
  FreeBlock* next;
};

FreeBlock* free_lists[kClasses];
char* bump = nullptr;
char* bump_end = nullptr;

// Every block is preceded by a 16-byte header whose first byte is its size class (or kLarge), so the
// unsized operator delete knows where the block goes.
void* from_malloc(std::size_t size) {
  auto* header = static_cast<unsigned char*>(std::malloc(size + kGranule));
  if (header == nullptr) throw std::bad_alloc();
  header[0] = kLarge;
  return header + kGranule;
}

void* allocate(std::size_t size) {
  if (size > kLargest - kGranule) return from_malloc(size);
  // 1..kClasses-1: at least one granule, so a freed block can hold the free list's link
  const std::size_t cls = size == 0 ? 1 : (size + kGranule - 1) / kGranule;
  if (FreeBlock* block = free_lists[cls]; block != nullptr) {
    free_lists[cls] = block->next;
    return block;
  }
  const std::size_t bytes = (cls + 1) * kGranule;  // the header, then the block
  if (static_cast<std::size_t>(bump_end - bump) < bytes) {
    bump = static_cast<char*>(std::malloc(kChunk));
    if (bump == nullptr) throw std::bad_alloc();
    bump_end = bump + kChunk;
  }
  char* header = bump;
  bump += bytes;
  header[0] = static_cast<char>(cls);
  return header + kGranule;
}

void release(void* p) noexcept {
  if (p == nullptr) return;
  auto* header = static_cast<unsigned char*>(p) - kGranule;
  if (header[0] == kLarge) {
    std::free(header);
    return;
  }
  auto* block = static_cast<FreeBlock*>(p);
  block->next = free_lists[header[0]];
  free_lists[header[0]] = block;
}

}  // namespace

void* operator new(std::size_t size) { return allocate(size); }
void* operator new[](std::size_t size) { return allocate(size); }
void operator delete(void* p) noexcept { release(p); }
void operator delete[](void* p) noexcept { release(p); }
void operator delete(void* p, std::size_t) noexcept { release(p); }
void operator delete[](void* p, std::size_t) noexcept { release(p); }
