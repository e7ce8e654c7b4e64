// A named pipe for tests of "never open what is not a regular file": made by the call, not a `mkfifo` process,
// so tests that use it can stay in the fast loop.
using System.Runtime.InteropServices;

namespace NanoT5.Tests;

internal static class TestFifo
{
    /// <summary>Makes a FIFO at <paramref name="path"/> (mode 600); fails the test when it cannot.</summary>
    public static void Make(string path) => Assert.Equal(0, MakeFifo(path, Convert.ToUInt32("600", 8)));

    [DllImport("libc", EntryPoint = "mkfifo", CharSet = CharSet.Ansi, BestFitMapping = false, ThrowOnUnmappableChar = true)]
    private static extern int MakeFifo(string path, uint mode);
}
