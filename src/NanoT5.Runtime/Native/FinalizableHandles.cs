// TorchSharp's Scalar (made implicitly for every `tensor * 0.5`, `add_(x, alpha)` ...) owns a small native
// allocation that only its finalizer frees. Left to the garbage collector's own pace, thousands of them
// per step stay live between large tensor allocations and fragment the native heap: resident memory
// then grows by tens of MB per training step. A gen-0 collection per step (well under a millisecond)
// frees them promptly and keeps memory flat.
namespace NanoT5.Native;

/// <summary>Releases native memory held by unreachable TorchSharp handles.</summary>
public static class FinalizableHandles
{
    /// <summary>Collects generation 0 and runs pending finalizers; call once per optimizer step.</summary>
    public static void Release()
    {
        GC.Collect(0, GCCollectionMode.Forced, blocking: true);
        GC.WaitForPendingFinalizers();
    }
}
