#ifndef FORMATION_CSYSTEM_H
#define FORMATION_CSYSTEM_H

/// Flushes to disk the file system that holds the open file `fd` (Linux `syncfs`); where there
/// is no `syncfs`, flushes the file itself (`fsync`). 0 on success, else -1 with errno set.
int formation_syncfs(int fd);

#endif
