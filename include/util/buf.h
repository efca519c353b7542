/*
 * buf.h — a growable byte buffer with a maximum size fixed at init (like
 * curl's dynbuf): appending past the maximum fails instead of growing, so
 * no input can make us allocate without bound. The bytes are always
 * followed by a NUL that is not counted in len.
 */
#ifndef BUF_H
#define BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char	*data;	/* NULL until the first append */
	size_t	 len;
	size_t	 cap;
	size_t	 max;	/* appends past this many bytes fail */
};

void	 buf_init(struct buf *, size_t max);
void	 buf_release(struct buf *);	/* frees data; the buf can be reused */
void	 buf_reset(struct buf *);	/* len = 0, keeps the memory */
/* Each returns 0, or -1 (nothing appended) when max would be passed. */
int	 buf_add(struct buf *, const void *, size_t);
int	 buf_addstr(struct buf *, const char *);
int	 buf_addc(struct buf *, int);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
int	 buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/* The contents as a C string ("" when empty); valid until the next append. */
const char *buf_str(const struct buf *);
/* Hands the contents to the caller (who frees them) and resets the buf. */
char	*buf_detach(struct buf *, size_t *lenp);

#endif
