/*
 * sign.h — SSH signatures over a bundle's MANIFEST.sha256, made and checked
 * with `ssh-keygen -Y sign|verify`, the way git signs commits with SSH
 * keys. The manifest hashes every file, and summary.json records every
 * evidence file's hash, so one signature covers the whole bundle: a
 * consistent edit of a file and the manifest is caught. The namespace is
 * "sloproof", so a signature made for git or for mail does not count.
 * Owns nothing; runs ssh-keygen as a child process.
 */
#ifndef SIGN_H
#define SIGN_H

struct buf;

#define SIGN_FILE	"MANIFEST.sha256.sig"
#define SIGN_NAMESPACE	"sloproof"

/*
 * Signs dir/MANIFEST.sha256 with the private key file key, writing
 * dir/MANIFEST.sha256.sig. 0, or -1 after a diagnostic (no ssh-keygen: 4;
 * a key it refuses: 3).
 */
int	sign_manifest(const char *key, const char *dir);

/*
 * Checks dir/MANIFEST.sha256.sig against the allowed signers file (the
 * format of ssh-keygen(1) ALLOWED SIGNERS). 0 good (who: the principal);
 * 1 bad or by nobody allowed (who: why, as " (...)"); -1 after a
 * diagnostic when ssh-keygen cannot run or the file is unreadable.
 */
int	sign_verify(const char *allowed_signers, const char *dir, struct buf *who);

#endif
