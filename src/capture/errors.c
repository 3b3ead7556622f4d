/* errno values as fields (include/spanlog/error.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "spanlog/error.h"

/* The errno names of glibc on Linux. The aliases (EWOULDBLOCK for EAGAIN, EDEADLOCK,
   ENOTSUP) are left out: a switch cannot hold two cases of one value. */
#define SL_ERRNO_NAMES(X) \
    X(E2BIG) X(EACCES) X(EADDRINUSE) X(EADDRNOTAVAIL) X(EADV) X(EAFNOSUPPORT) X(EAGAIN) \
    X(EALREADY) X(EBADE) X(EBADF) X(EBADFD) X(EBADMSG) X(EBADR) X(EBADRQC) X(EBADSLT) X(EBFONT) \
    X(EBUSY) X(ECANCELED) X(ECHILD) X(ECHRNG) X(ECOMM) X(ECONNABORTED) X(ECONNREFUSED) \
    X(ECONNRESET) X(EDEADLK) X(EDESTADDRREQ) X(EDOM) X(EDOTDOT) X(EDQUOT) X(EEXIST) X(EFAULT) \
    X(EFBIG) X(EHOSTDOWN) X(EHOSTUNREACH) X(EHWPOISON) X(EIDRM) X(EILSEQ) X(EINPROGRESS) \
    X(EINTR) X(EINVAL) X(EIO) X(EISCONN) X(EISDIR) X(EISNAM) X(EKEYEXPIRED) X(EKEYREJECTED) \
    X(EKEYREVOKED) X(EL2HLT) X(EL2NSYNC) X(EL3HLT) X(EL3RST) X(ELIBACC) X(ELIBBAD) X(ELIBEXEC) \
    X(ELIBMAX) X(ELIBSCN) X(ELNRNG) X(ELOOP) X(EMEDIUMTYPE) X(EMFILE) X(EMLINK) X(EMSGSIZE) \
    X(EMULTIHOP) X(ENAMETOOLONG) X(ENAVAIL) X(ENETDOWN) X(ENETRESET) X(ENETUNREACH) X(ENFILE) \
    X(ENOANO) X(ENOBUFS) X(ENOCSI) X(ENODATA) X(ENODEV) X(ENOENT) X(ENOEXEC) X(ENOKEY) X(ENOLCK) \
    X(ENOLINK) X(ENOMEDIUM) X(ENOMEM) X(ENOMSG) X(ENONET) X(ENOPKG) X(ENOPROTOOPT) X(ENOSPC) \
    X(ENOSR) X(ENOSTR) X(ENOSYS) X(ENOTBLK) X(ENOTCONN) X(ENOTDIR) X(ENOTEMPTY) X(ENOTNAM) \
    X(ENOTRECOVERABLE) X(ENOTSOCK) X(ENOTTY) X(ENOTUNIQ) X(ENXIO) X(EOPNOTSUPP) X(EOVERFLOW) \
    X(EOWNERDEAD) X(EPERM) X(EPFNOSUPPORT) X(EPIPE) X(EPROTO) X(EPROTONOSUPPORT) X(EPROTOTYPE) \
    X(ERANGE) X(EREMCHG) X(EREMOTE) X(EREMOTEIO) X(ERESTART) X(ERFKILL) X(EROFS) X(ESHUTDOWN) \
    X(ESOCKTNOSUPPORT) X(ESPIPE) X(ESRCH) X(ESRMNT) X(ESTALE) X(ESTRPIPE) X(ETIME) X(ETIMEDOUT) \
    X(ETOOMANYREFS) X(ETXTBSY) X(EUCLEAN) X(EUNATCH) X(EUSERS) X(EXDEV) X(EXFULL)

#define NAME_CASE(e) \
  case e:            \
    return #e;

/* A switch, not a table: the numbers differ between architectures. */
const char *sl_errno_name(int err) {
  static _Thread_local char other[16];
  switch (err) {
    SL_ERRNO_NAMES(NAME_CASE)
  }
  snprintf(other, sizeof other, "E%d", err);
  return other;
}

const char *sl_errno_message(int err) {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 32))
  const char *text = strerrordesc_np(err); /* untranslated, and safe on any thread */
  return text ? text : "Unknown error";
#else
  return strerror(err);
#endif
}
