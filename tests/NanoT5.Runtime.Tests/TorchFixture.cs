// Loads the native backend once for every test that touches tensors.
using NanoT5.Native;

namespace NanoT5.Tests;

public sealed class TorchFixture
{
    public TorchFixture()
    {
        TorchNative.EnsureLoaded();
        TorchNative.SetThreads(0);
    }
}

[CollectionDefinition(Name)]
public sealed class TorchCollection : ICollectionFixture<TorchFixture>
{
    public const string Name = "torch";
}
