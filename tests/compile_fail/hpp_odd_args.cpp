// spanlog.hpp: a key without a value must not build.
#include <spanlog/spanlog.hpp>
int main() {
#ifdef CONTROL
  spanlog::span s("work", "attempt", 1);
#else
  spanlog::span s("work", "attempt");
#endif
  return 0;
}
