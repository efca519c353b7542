/*
 * init.h — `sloproof init`: a first drill from the files a person already
 * has. Each file is imported on its own (the importers' own sniffers
 * decide its kind), and what was found seeds a commented drill.yaml and
 * slo.yaml. Never overwrites: both files are created exclusively.
 */
#ifndef INIT_H
#define INIT_H

#include <stddef.h>

#include "util/buf.h"

/*
 * Writes DIR/drill.yaml and DIR/slo.yaml from files (nfiles of them; none:
 * every file under dir). DIR is created when missing. Paths in the drill
 * file are relative to DIR. summary gets one line per file for the
 * terminal. 0; -1 after diagnostics (an existing drill.yaml or slo.yaml
 * is an error and nothing is written).
 */
int	drill_init(const char *dir, char *const *files, size_t nfiles, struct buf *summary);

#endif
