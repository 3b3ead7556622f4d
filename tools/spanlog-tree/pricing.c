/* Reading the pricing table with the tool's own parser. */
#include "pricing.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "strbuf.h"

#define MAX_PRICING_BYTES (16u << 20)

static int read_all(const char *path, strbuf *b, char *err, size_t errlen) {
  FILE *f = fopen(path, "rb");
  char chunk[65536];
  size_t n;
  if (!f) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
  }
  while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b->len <= MAX_PRICING_BYTES) sb_put(b, chunk, n);
  int bad = ferror(f) || b->len > MAX_PRICING_BYTES;
  fclose(f);
  if (bad) snprintf(err, errlen, "%s: cannot be read or is too large", path);
  return bad ? -1 : 0;
}

static int add_model(pricing *p, const jmember *m, char *err, size_t errlen) {
  double in, out;
  if (!jnum(jget(&m->val, "input_per_mtok"), &in) || !jnum(jget(&m->val, "output_per_mtok"), &out) ||
      !isfinite(in) || !isfinite(out) || in < 0 || out < 0) {
    snprintf(err, errlen, "model \"%.*s\" needs input_per_mtok and output_per_mtok (numbers >= 0)",
             (int)(m->klen > 200 ? 200 : m->klen), m->key);
    return -1;
  }
  p->v = xrealloc(p->v, (p->n + 1) * sizeof *p->v);
  p->v[p->n].model = xstrndup(m->key, m->klen);
  p->v[p->n].in_per_mtok = in;
  p->v[p->n].out_per_mtok = out;
  p->n++;
  return 0;
}

int pricing_load(pricing *p, const char *path, char *err, size_t errlen) {
  strbuf text = {0};
  jparser jp;
  int rc = -1;
  if (read_all(path, &text, err, errlen)) {
    sb_free(&text);
    return -1;
  }
  sb_putc(&text, 0); /* the parser may look one byte past the end */
  jparser_init(&jp);
  const jval *root = json_parse(&jp, text.p, text.len - 1), *models = jget(root, "models");
  if (!models || models->type != J_OBJ) {
    snprintf(err, errlen, "%s: not JSON of the form {\"models\":{…}}", path);
  } else {
    rc = 0;
    for (uint32_t i = 0; i < models->n && rc == 0; i++) rc = add_model(p, &models->u.members[i], err, errlen);
  }
  jparser_free(&jp);
  sb_free(&text);
  p->loaded = rc == 0;
  return rc;
}

void pricing_free(pricing *p) {
  for (size_t i = 0; i < p->n; i++) free(p->v[i].model);
  free(p->v);
  memset(p, 0, sizeof *p);
}

const price *pricing_find(const pricing *p, const char *model) {
  if (!model) return NULL;
  for (size_t i = 0; i < p->n; i++)
    if (strcmp(p->v[i].model, model) == 0) return &p->v[i];
  return NULL;
}
