#pragma once
// The wrapper's own log (host config log_file): one JSON line per hardened container or process.
#include <string>
#include <string_view>
#include <vector>

#include "hardened/error.hpp"

namespace hardened {

// One line's fields, written as JSON text as they are added: a create's line lists a score of changes,
// and building a document of them first cost about as much as writing config.json back. The creation
// record (creation_record.hpp) is written with it too.
class AuditRecord {
 public:
  void text(std::string_view key, std::string_view value);
  void texts(std::string_view key, const std::vector<std::string>& values);
  // A list of objects of two text fields each, e.g. {"rule": …, "change": …} from Change::rule/detail.
  template <class Item>
  void objects(std::string_view key, const std::vector<Item>& items, std::string_view first_key, std::string Item::*first,
               std::string_view second_key, std::string Item::*second) {
    open_list(key);
    for (const Item& item : items) add_object(first_key, item.*first, second_key, item.*second);
    members_ += ']';
  }
  const std::string& members() const { return members_; }  // "key":value,... (no braces)

 private:
  void add_key(std::string_view key);
  void open_list(std::string_view key);
  void add_object(std::string_view first_key, std::string_view first, std::string_view second_key, std::string_view second);
  std::string members_;
};

// Appends {"time": now, <the record's fields>} as one line. Called only on the rewrite paths, never on
// pass-through.
Result<void> write_audit_line(const std::string& log_file, const AuditRecord& record);

}  // namespace hardened
