// The native layer's process-wide state has one owner: TorchNative's load state (which libtorch this process asked for
// and loaded), plus NativeHeap's flag (glibc's heap is the process's). Another static that changes after start-up
// either describes the process too and belongs with them, or does not and belongs in an instance.
using System.Reflection;
using System.Runtime.CompilerServices;
using NanoT5.Native;

namespace NanoT5.Tests.Native;

public sealed class ProcessStateTests
{
    [Fact]
    public void TheNativeLayersMutableStatics_AreTorchNativesLoadStateAndTheHeapFlag()
    {
        Assembly runtime = typeof(TorchNative).Assembly;

        IEnumerable<string> mutable = runtime.GetTypes()
            .Where(type => type.Namespace == "NanoT5.Native" && !type.IsDefined(typeof(CompilerGeneratedAttribute)))
            .SelectMany(type => type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(field => !field.IsLiteral && (!field.IsInitOnly || (field.FieldType.Assembly == runtime && field.FieldType.IsClass)))
            .Select(field => $"{field.DeclaringType!.Name}.{field.Name}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(["NativeHeap.<Tuned>k__BackingField", "TorchNative.ThisProcess"], mutable);
    }
}
