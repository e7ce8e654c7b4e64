// Two folders for the layering check's own test: Lower uses Upper in each place a use can hide.
namespace NanoT5.Tests.Architecture.Layered.Upper
{
    internal sealed class Key
    {
        public static Key Create() => new();
    }
}

namespace NanoT5.Tests.Architecture.Layered.Lower
{
    using NanoT5.Tests.Architecture.Layered.Upper;

    internal static class UsesInABody
    {
        public static string Describe() => Key.Create().ToString()!;
    }

    internal static class UsesInAGenericArgument
    {
        public static int Count(IEnumerable<object> items) => items.OfType<Key>().Count();
    }

    internal static class UsesInALambda
    {
        public static Func<object> Later() => () => Key.Create();
    }

    internal static class UsesInASignature
    {
        public static object? Hold(Key? key) => key;
    }
}

namespace NanoT5.Tests.Architecture
{
    internal static class LayeringFixture
    {
        public const string Root = "NanoT5.Tests.Architecture.Layered";
    }
}
