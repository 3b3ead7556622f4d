/* The W3C baggage header: what sl_baggage_continue reads from an incoming header and
 * what sl_baggage_format writes for an outgoing one (the grammar, percent-encoding,
 * properties, optional whitespace, invalid members and the 180-member / 8192-byte limits). */
#include <spanlog.h>

#include "check.h"

static char header[16384];

static const char *formatted(void) {
  sl_baggage_format(header, sizeof header);
  return header;
}

static void values_are_percent_decoded(void) {
  CHECK_INT(sl_baggage_continue("userId=alice,serverNode=DF%2028,isProduction=false"), 3);
  CHECK_STR(sl_baggage_get("userId"), "alice");
  CHECK_STR(sl_baggage_get("serverNode"), "DF 28");
  CHECK_STR(sl_baggage_get("isProduction"), "false");
  CHECK(sl_baggage_get("userid") == NULL); /* keys are case-sensitive */
}

static void whitespace_around_members_and_separators_is_optional(void) {
  CHECK_INT(sl_baggage_continue(" \tk1 = v1 ; p1 ; p2 = x ,  k2=v2\t,,"), 2);
  CHECK_STR(sl_baggage_get("k1"), "v1");
  CHECK_STR(sl_baggage_get("k2"), "v2");
  /* properties are sent on, without the optional whitespace */
  CHECK_STR(formatted(), "k1=v1;p1;p2=x,k2=v2");
}

static void invalid_members_are_skipped_and_the_rest_kept(void) {
  CHECK_INT(sl_baggage_continue("good=1,bad key=2,=3,noequals,quoted=\"q\",esc=%zz,nul=%00,bs=a\\b,"
                                "badprop=1;=x,ok=%41"),
            2);
  CHECK_STR(sl_baggage_get("good"), "1");
  CHECK_STR(sl_baggage_get("ok"), "A");
  CHECK(sl_baggage_get("quoted") == NULL);
  CHECK(sl_baggage_get("esc") == NULL);
  CHECK(sl_baggage_get("badprop") == NULL);
  CHECK_STR(formatted(), "good=1,ok=A");
}

static void a_key_given_twice_keeps_its_last_value(void) {
  CHECK_INT(sl_baggage_continue("k=1,other=x,k=2"), 2);
  CHECK_STR(sl_baggage_get("k"), "2");
  CHECK_STR(formatted(), "k=2,other=x");
}

static void an_empty_value_is_a_value(void) {
  CHECK_INT(sl_baggage_continue("empty=,k=v"), 2);
  CHECK_STR(sl_baggage_get("empty"), "");
  CHECK_STR(formatted(), "empty=,k=v");
}

static void a_header_over_8192_bytes_is_discarded_whole(void) {
  char big[8200];
  memset(big, 'a', sizeof big - 1);
  big[sizeof big - 1] = '\0';
  memcpy(big, "k=", 2);
  CHECK_INT(sl_baggage_continue(big), -1);
  CHECK(sl_baggage_get("k") == NULL);
  CHECK_INT(sl_baggage_format(header, sizeof header), 0);
  CHECK_INT(sl_baggage_continue(NULL), -1);
}

static void members_past_the_180th_are_not_taken(void) {
  char h[4096] = "";
  size_t n = 0;
  for (int i = 0; i < 200; i++) n += (size_t)snprintf(h + n, sizeof h - n, "%sk%d=%d", i ? "," : "", i, i);
  CHECK_INT(sl_baggage_continue(h), 180);
  CHECK_STR(sl_baggage_get("k179"), "179");
  CHECK(sl_baggage_get("k180") == NULL);
}

static void values_are_percent_encoded_on_the_way_out(void) {
  sl_baggage_continue("");
  CHECK_INT(sl_baggage_set("k", "a b,c;d%e\"\\\xc3\xa9="), 0);
  CHECK_STR(formatted(), "k=a%20b%2Cc%3Bd%25e%22%5C%C3%A9=");
  /* and read back as they were set */
  char out[256];
  CHECK(sl_baggage_format(out, sizeof out) < sizeof out);
  CHECK_INT(sl_baggage_continue(out), 1);
  CHECK_STR(sl_baggage_get("k"), "a b,c;d%e\"\\\xc3\xa9=");
}

static void format_tells_the_length_and_cuts_to_the_buffer(void) {
  sl_baggage_continue("alpha=1,beta=2");
  CHECK_INT(sl_baggage_format(NULL, 0), 14);
  char small[8];
  CHECK_INT(sl_baggage_format(small, sizeof small), 14);
  CHECK_STR(small, "alpha=1");
  sl_baggage_clear();
  CHECK_INT(sl_baggage_format(small, sizeof small), 0);
  CHECK_STR(small, "");
}

static void the_outgoing_header_stays_within_8192_bytes(void) {
  sl_baggage_clear();
  static char value[3000];
  memset(value, 'v', sizeof value - 1);
  CHECK_INT(sl_baggage_set("a", value), 0);
  CHECK_INT(sl_baggage_set("b", value), 0);
  CHECK_INT(sl_baggage_set("c", value), 0); /* 3 x 3002 + 2 commas: over the limit */
  CHECK_INT(sl_baggage_set("d", "small"), 0);
  size_t n = sl_baggage_format(header, sizeof header);
  CHECK(n <= 8192);
  CHECK_INT(n, 3001 + 1 + 3001 + 1 + 7); /* a, b and d; c left out */
  CHECK(strstr(header, "c=") == NULL);
  CHECK(strstr(header, ",d=small") != NULL);
}

static void set_refuses_invalid_keys_and_null_values(void) {
  sl_baggage_clear();
  CHECK_INT(sl_baggage_set("bad key", "v"), -1);
  CHECK_INT(sl_baggage_set("", "v"), -1);
  CHECK_INT(sl_baggage_set(NULL, "v"), -1);
  CHECK_INT(sl_baggage_set("k", NULL), -1);
  CHECK_INT(sl_baggage_format(NULL, 0), 0);
  CHECK_INT(sl_baggage_remove("k"), -1);
  CHECK_INT(sl_baggage_set("k", "v"), 0);
  CHECK_INT(sl_baggage_remove("k"), 0);
  CHECK(sl_baggage_get("k") == NULL);
}

int main(void) {
  RUN(values_are_percent_decoded);
  RUN(whitespace_around_members_and_separators_is_optional);
  RUN(invalid_members_are_skipped_and_the_rest_kept);
  RUN(a_key_given_twice_keeps_its_last_value);
  RUN(an_empty_value_is_a_value);
  RUN(a_header_over_8192_bytes_is_discarded_whole);
  RUN(members_past_the_180th_are_not_taken);
  RUN(values_are_percent_encoded_on_the_way_out);
  RUN(format_tells_the_length_and_cuts_to_the_buffer);
  RUN(the_outgoing_header_stays_within_8192_bytes);
  RUN(set_refuses_invalid_keys_and_null_values);
  return check_exit();
}
