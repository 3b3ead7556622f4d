/* The drainer's dropping of the queue lines it has read (sl_ring_drop_read_lines): a hint
 * to the cache that must stay inside the queue whatever positions it is given (the ring
 * wraps, the drainer may be a lap or more behind, a range may be empty) and must leave
 * every byte as it was. The queue sits between two inaccessible pages: a flush of a line
 * outside it faults. */
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "check.h"
#include "record/ring.h"

#define CAP (4 * 4096)

static void outside_the_queue(int sig) {
  (void)sig;
  static const char msg[] = "test_ring: a line outside the queue was touched\n";
  if (write(2, msg, sizeof msg - 1)) _exit(1);
  _exit(1);
}

static unsigned char *guarded_buffer(void) {
  long page = sysconf(_SC_PAGESIZE);
  unsigned char *m = mmap(NULL, CAP + 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (m == MAP_FAILED) return NULL;
  if (mprotect(m, page, PROT_NONE) || mprotect(m + page + CAP, page, PROT_NONE)) return NULL;
  return m + page;
}

static sl_ring ring;

static void fill(void) {
  for (size_t i = 0; i < CAP; i++) ring.buf[i] = (unsigned char)(i * 31 + 7);
}

static int unchanged(void) {
  for (size_t i = 0; i < CAP; i++)
    if (ring.buf[i] != (unsigned char)(i * 31 + 7)) return 0;
  return 1;
}

static void dropping_stays_inside_the_queue_and_keeps_its_bytes(void) {
  const uint64_t lap = CAP;
  const uint64_t ranges[][2] = {
      {0, lap},                         /* the whole queue, once */
      {0, 10 * lap + 17},               /* several laps behind: one lap's lines */
      {3 * lap - 100, 3 * lap + 200},   /* across the end of the buffer */
      {5 * lap + 64, 5 * lap + 127},    /* within one line that may still be written */
      {7 * lap + 1, 7 * lap + 1},       /* nothing */
      {9 * lap + 500, 9 * lap + 100},   /* backwards: nothing */
      {lap - 1, 2 * lap - 1},           /* unaligned ends */
      {UINT64_MAX - lap - 63, UINT64_MAX} /* near the positions' end */
  };
  fill();
  for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
    sl_ring_drop_read_lines(&ring, ranges[i][0], ranges[i][1]);
    CHECK(unchanged());
  }
}

static void records_read_after_dropping_are_as_written(void) {
  /* A producer's records, dropped as read lap after lap: the bytes a reader sees are the
     last ones written. */
  uint64_t pos = 0, dropped = 0;
  for (int rec = 0; rec < 2000; rec++) {
    uint64_t size = 8 * (1 + rec % 37);
    for (uint64_t b = 0; b < size; b++) ring.buf[(pos + b) & (CAP - 1)] = (unsigned char)(rec + b);
    int same = 1;
    for (uint64_t b = 0; b < size; b++) same &= ring.buf[(pos + b) & (CAP - 1)] == (unsigned char)(rec + b);
    CHECK(same);
    pos += size;
    if (rec % 5 == 0) sl_ring_drop_read_lines(&ring, dropped, pos), dropped = pos;
  }
}

int main(void) {
  signal(SIGSEGV, outside_the_queue);
  signal(SIGBUS, outside_the_queue);
  ring.buf = guarded_buffer();
  ring.cap = CAP;
  if (!ring.buf) {
    fprintf(stderr, "test_ring: no memory for the queue\n");
    return 1;
  }
  RUN(dropping_stays_inside_the_queue_and_keeps_its_bytes);
  RUN(records_read_after_dropping_are_as_written);
  return check_exit();
}
