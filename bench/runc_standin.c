/* A stand-in for runc in the benchmark: a static binary that exits at once, so what is measured is
 * the cost of what runs before it. */
int main(void) { return 0; }
