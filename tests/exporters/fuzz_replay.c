/* Runs the raw JSON fuzz target (fuzz/otlp_raw_json_fuzz.c) without libFuzzer: over every
   file of the corpus directory, their truncations, and pseudo-random inputs made of JSON's
   own characters. A failure aborts inside the target. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static size_t run_file(const char *path) {
  static uint8_t buf[1 << 16];
  FILE *f = fopen(path, "rb");
  if (!f) return 0;
  size_t n = fread(buf, 1, sizeof buf, f);
  fclose(f);
  for (size_t k = 0; k <= n; k++) LLVMFuzzerTestOneInput(buf, k); /* every prefix */
  return n + 1;
}

static uint64_t rng = 88172645463325252u;
static uint32_t next_random(void) {
  rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
  return (uint32_t)rng;
}

static size_t run_random(size_t count) {
  static const char alphabet[] = "{}[],:\"\\/ u0123456789abcdefeE+-.tnlrsx\xc3\xa9\xed\xa0\x80\xff\xf1\x90";
  uint8_t buf[256];
  for (size_t i = 0; i < count; i++) {
    size_t n = next_random() % sizeof buf;
    for (size_t k = 0; k < n; k++) buf[k] = (uint8_t)alphabet[next_random() % (sizeof alphabet - 1)];
    LLVMFuzzerTestOneInput(buf, n);
  }
  return count;
}

int main(int argc, char **argv) {
  size_t runs = 0;
  for (int i = 1; i < argc; i++) {
    DIR *d = opendir(argv[i]);
    if (!d) {
      runs += run_file(argv[i]);
      continue;
    }
    struct dirent *e;
    char path[4096];
    while ((e = readdir(d)) != NULL) {
      if (e->d_name[0] == '.') continue;
      snprintf(path, sizeof path, "%s/%s", argv[i], e->d_name);
      runs += run_file(path);
    }
    closedir(d);
  }
  runs += run_random(200000);
  printf("fuzz_replay: %zu inputs\n", runs);
  return 0;
}
