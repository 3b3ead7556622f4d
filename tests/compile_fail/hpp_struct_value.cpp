// spanlog.hpp: an unsupported value type must not build.
#include <spanlog/spanlog.hpp>
struct point {
  int x, y;
};
int main() {
  point p = {1, 2};
#ifdef CONTROL
  spanlog::span s("moved", "x", p.x);
#else
  spanlog::span s("moved", "p", p);
#endif
  return 0;
}
