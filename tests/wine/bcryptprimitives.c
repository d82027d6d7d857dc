/*
 * A stand-in for Windows' bcryptprimitives.dll, for running Rust programs under Wine 8.
 *
 * Rust's standard library (1.78 and later) gets its random numbers (HashMap seeds) from
 * `ProcessPrng` in bcryptprimitives.dll. Wine 8 has no such DLL, so every Rust .exe fails
 * to start with STATUS_DLL_NOT_FOUND (c0000135). This DLL exports only that function and
 * fills the buffer with advapi32's RtlGenRandom (exported as SystemFunction036), which
 * Wine implements. tests/wine/setup.sh builds it with mingw and copies it into the Wine
 * prefix's system32. Test use only: it is never shipped.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    /* RtlGenRandom takes a ULONG length: fill large buffers in chunks. */
    while (len > 0) {
        ULONG chunk = len > 0x7fffffff ? 0x7fffffff : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, LPVOID reserved)
{
    (void)instance;
    (void)reason;
    (void)reserved;
    return TRUE;
}
