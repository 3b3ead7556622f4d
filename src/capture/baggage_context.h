/* The current context's W3C baggage (the public API is spanlog/baggage.h): what the rest
 * of the capture side asks of it. */
#ifndef SL_BAGGAGE_CONTEXT_H
#define SL_BAGGAGE_CONTEXT_H

/* The current context's baggage as a header value, newly allocated, for a child's
   BAGGAGE; NULL when it has none (or without memory). */
char *sl_baggage_current_header(void);

#endif
