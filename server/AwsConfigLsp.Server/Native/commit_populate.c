/*
 * Linked into the NativeAOT server on Linux only (AwsConfigLsp.Server.csproj, docs/decisions.md "Committed memory
 * populated in one call").
 *
 * The garbage collector commits its memory with mprotect(PROT_READ | PROT_WRITE), mostly 64 KiB at a time, and the
 * first write to each 4 KiB page then takes a page fault. In the virtual machines this server runs in (editors in
 * cloud workspaces, CI runners, the machines of docs/performance.md) a fault costs 10-13 us, so the ~34,000 pages
 * an open of 50k profiles touches cost ~400 ms. This definition of mprotect takes the place of libc's for the calls
 * made from inside the executable (the runtime's, ours): it does the same system call, and when a range was just
 * made writable it asks the kernel to populate it at once (MADV_POPULATE_WRITE, Linux 5.14+), one call instead of
 * sixteen faults. The pages are the ones the collector is about to write; nothing else changes.
 *
 * Off when AWSCONFIG_LSP_POPULATE=0, and by itself when the kernel refuses the advice (older kernels: EINVAL).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MADV_POPULATE_WRITE
#define MADV_POPULATE_WRITE 23
#endif

/* Ranges below this are left to faults: guard pages and small runtime tables, not the collector's commits. */
#define POPULATE_MIN_BYTES 16384

static volatile int populate_state; /* 0: not decided yet, 1: on, -1: off */
static volatile int populate_paused; /* set by the server between opens (awsconfig_populate_pause) */
static volatile long populate_calls;
static volatile long populate_bytes;

static int populate_enabled(void)
{
    int state = populate_state;
    if (state == 0)
    {
        const char *setting = getenv("AWSCONFIG_LSP_POPULATE");
        state = setting != NULL && strcmp(setting, "0") == 0 ? -1 : 1;
        populate_state = state;
    }
    return state > 0;
}

int mprotect(void *address, size_t length, int protection)
{
    long result = syscall(SYS_mprotect, address, length, protection);
    if (result == 0 && protection == (PROT_READ | PROT_WRITE) && length >= POPULATE_MIN_BYTES && !populate_paused && populate_enabled())
    {
        int saved = errno;
        if (madvise(address, length, MADV_POPULATE_WRITE) == 0)
        {
            __atomic_add_fetch(&populate_calls, 1, __ATOMIC_RELAXED);
            __atomic_add_fetch(&populate_bytes, (long)length, __ATOMIC_RELAXED);
        }
        else if (errno == EINVAL)
        {
            populate_state = -1;
        }
        errno = saved;
    }
    return (int)result;
}

/*
 * Paused after an open: the heap has grown by then, and the few commits of later edits, populated, would make resident
 * the pages the collector commits ahead of its allocations and never writes (~1-2 MiB at the end of a session).
 * Resumed when a large document arrives.
 */
void awsconfig_populate_pause(int paused)
{
    populate_paused = paused;
}

/* How many commits were populated so far and their bytes: --version and the open's trace report it. */
int awsconfig_populate_stats(long *calls, long *bytes)
{
    *calls = __atomic_load_n(&populate_calls, __ATOMIC_RELAXED);
    *bytes = __atomic_load_n(&populate_bytes, __ATOMIC_RELAXED);
    return populate_state;
}
