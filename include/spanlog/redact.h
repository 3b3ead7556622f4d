/* Redaction of secrets and personal data, on the backend thread, before rendering.
 *
 * On by default (secure by default):
 *   - key rules: the values of keys matching *password*, *passwd*, *passphrase*,
 *     *secret*, *token, *api_key, *apikey, *private_key, *access_key, *credential*,
 *     *authorization and *cookie become "[REDACTED]" (names normalised: case-insensitive,
 *     '-', '_' and '.' alike; X-Api-Key, OPENAI_API_KEY, session_token), at every depth
 *     of JSON values (SL_RAW_JSON, jansson);
 *   - value scrubbers for credentials: Bearer tokens, JWTs, AWS access key ids, PEM
 *     private keys, payment card numbers (Luhn-checked), providers' API keys (sk-proj-,
 *     sk-ant-, ghp_, github_pat_, xoxb-, AIza, ...) and URL credentials (user:pass@,
 *     ?token=...), replaced by a marker such as [JWT] wherever they appear in a string.
 * Opt-in: e-mail, phone and US SSN scrubbers, keyed hashing of identifiers (user_id
 * becomes "h:" + 16 hex digits, stable for the same value and hash key), and allowlist
 * mode (only the listed keys keep their values).
 * Applied alike to call-site fields, bound fields, span attributes and the attributes of
 * span events and links; scrubbers also apply to log events and span names.
 *
 * The grammar, for sl_redact() and SPANLOG_REDACT: directives separated by ';'
 *   off                 nothing is redacted (turns the defaults off; explicit)
 *   defaults            back to the defaults
 *   keys=a,b | keys+=a,b | keys-=a,b     the denied keys: replace, add, remove; a name
 *                                        may be a glob, '*' for any run (keys+=*_key)
 *   scrub=K,... | scrub+=K,... | scrub-=K,...
 *                       K: email phone ssn card bearer jwt aws pem apikey url, or all, none
 *   hash=a,b | hash+=a,b                 keys whose values are replaced by a keyed hash
 *   hash_key=<32 hex digits>             the hash key (default: SPANLOG_HASH_KEY, else a
 *                                        random key per process: stable within it only)
 *   allow=a,b           allowlist mode: every other key's value is redacted
 *   allow=              allowlist mode off
 * e.g. SPANLOG_REDACT="scrub+=email,phone;hash=user_id;keys+=ssn_last4" */
#ifndef SPANLOG_REDACT_H
#define SPANLOG_REDACT_H

#include "version.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Applies directives to the redaction settings; 0, or -1 if spec does not parse (the
   settings are then unchanged). Applies to records rendered from then on. */
SL_API int sl_redact(const char *spec);

#ifdef __cplusplus
}
#endif

#endif
