/* version.h — the one place sloproof's version is written. */
#ifndef VERSION_H
#define VERSION_H

#define SLOPROOF_VERSION "0.1.0"
/* summary.json's schema version (docs/json.md): bumped when a key changes meaning. */
#define SLOPROOF_SUMMARY_SCHEMA 1

#endif
