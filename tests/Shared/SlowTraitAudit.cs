// Finds test methods that start a process without [Trait("Category", "Slow")], so the inner loop
// (`dotnet test --filter "Category!=Slow"`) never spawns builds, the runtime, spm_train or scripts.
// Linked into both test projects. It reads IL, not source: a call is followed through helpers, lambdas
// (ldftn), async/iterator state machines, static constructors and the class's fixtures; a test "starts a
// process" when that graph reaches System.Diagnostics.Process.Start. Inside the test assembly every call is
// followed; into another NanoT5 assembly only within the called type (SentencePieceTrainer.Train -> its
// private helper -> Process.Start), because the runtime's CLI reaches every verb and following it would flag
// every in-process CLI test. A test that starts a process through the CLI in process is marked by hand.
using System.Diagnostics;
using System.Reflection;
using System.Reflection.Emit;
using System.Runtime.CompilerServices;

namespace NanoT5.Testing;

internal static class SlowTraitAudit
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
    private static readonly Dictionary<(MethodBase, Type?), bool> Memo = [];

    /// <summary>"Class.Method" of every test in <paramref name="assembly"/> that starts a process and is not marked slow.</summary>
    public static IReadOnlyList<string> UnmarkedProcessTests(Assembly assembly) =>
        ProcessTests(assembly).Where(m => !IsSlow(m)).Select(Name).Order(StringComparer.Ordinal).ToList();

    /// <summary>Every test method (fact or theory) whose call graph reaches Process.Start.</summary>
    public static IReadOnlyList<MethodInfo> ProcessTests(Assembly assembly) =>
        assembly.GetTypes()
            .SelectMany(t => t.GetMethods(Everything))
            .Where(m => m.IsDefined(typeof(FactAttribute), inherit: true))
            .Where(m => StartsProcess(m) || SetUp(m.DeclaringType!).Any(StartsProcess))
            .ToList();

    /// <summary>True when <paramref name="method"/>, or anything it calls in a NanoT5 assembly, calls Process.Start.</summary>
    public static bool StartsProcess(MethodBase method)
    {
        lock (Memo)
        {
            return Reaches(method, null, []);
        }
    }

    public static string Name(MethodInfo method) => $"{method.DeclaringType!.Name}.{method.Name}";

    private static bool IsSlow(MethodInfo method) => HasSlowTrait(method) || HasSlowTrait(method.DeclaringType!);

    private static bool HasSlowTrait(MemberInfo member) =>
        member.GetCustomAttributesData().Any(a =>
            a.AttributeType == typeof(TraitAttribute)
            && a.ConstructorArguments is [{ Value: "Category" }, { Value: "Slow" }]);

    // What runs before each test of the class: its constructors and its class and collection fixtures' constructors.
    private static IEnumerable<MethodBase> SetUp(Type testClass)
    {
        var fixtures = testClass.GetInterfaces()
            .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IClassFixture<>))
            .Select(i => i.GetGenericArguments()[0])
            .ToList();
        if (testClass.GetCustomAttribute<CollectionAttribute>() is { } collection)
        {
            string name = (string)testClass.GetCustomAttributesData().First(a => a.AttributeType == typeof(CollectionAttribute)).ConstructorArguments[0].Value!;
            fixtures.AddRange(testClass.Assembly.GetTypes()
                .Where(t => t.GetCustomAttributesData().Any(a => a.AttributeType == typeof(CollectionDefinitionAttribute) && a.ConstructorArguments is [{ Value: string n }] && n == name))
                .SelectMany(t => t.GetInterfaces())
                .Where(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(ICollectionFixture<>))
                .Select(i => i.GetGenericArguments()[0]));
        }

        return fixtures.Prepend(testClass).SelectMany(t => t.GetConstructors(Everything));
    }

    // confinedTo: null inside the test assembly; the called type once the graph has entered another assembly.
    private static bool Reaches(MethodBase method, Type? confinedTo, HashSet<MethodBase> onPath)
    {
        if (Memo.TryGetValue((method, confinedTo), out bool known))
        {
            return known;
        }

        if (!onPath.Add(method))
        {
            return false; // a cycle: the other callees of the methods on the path still decide
        }

        bool reaches = Callees(method).Any(c => IsProcessStart(c) || Follow(method, c, confinedTo) is (true, var next) && Reaches(c, next, onPath));
        onPath.Remove(method);
        Memo[(method, confinedTo)] = reaches;
        return reaches;
    }

    private static (bool Follow, Type? ConfinedTo) Follow(MethodBase caller, MethodBase callee, Type? confinedTo)
    {
        if (!IsOurs(callee) || callee.DeclaringType is not { } type)
        {
            return (false, null);
        }

        if (confinedTo is not null)
        {
            return (Outermost(type) == confinedTo, confinedTo);
        }

        return callee.Module.Assembly == caller.Module.Assembly ? (true, null) : (true, Outermost(type));
    }

    // Lambdas and state machines are nested types of the type that declares them.
    private static Type Outermost(Type type) => type.DeclaringType is { } outer ? Outermost(outer) : type;

    private static bool IsProcessStart(MethodBase method) => method.DeclaringType == typeof(Process) && method.Name == nameof(Process.Start);

    private static bool IsOurs(MethodBase method) => method.Module.Assembly.GetName().Name!.StartsWith("NanoT5", StringComparison.Ordinal);

    private static IEnumerable<MethodBase> Callees(MethodBase method)
    {
        if (method.GetCustomAttribute<StateMachineAttribute>() is { } machine)
        {
            foreach (MethodInfo step in machine.StateMachineType.GetMethods(Everything))
            {
                yield return step;
            }
        }

        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            yield break;
        }

        Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } t ? t.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        foreach ((OpCode op, int operand) in IlInstructions.Read(il))
        {
            if (op.OperandType is OperandType.InlineMethod or OperandType.InlineField)
            {
                int token = BitConverter.ToInt32(il, operand);
                MethodBase? callee = op.OperandType == OperandType.InlineMethod
                    ? Resolve(() => method.Module.ResolveMethod(token, typeArguments, methodArguments))
                    : Resolve(() => method.Module.ResolveField(token, typeArguments, methodArguments)?.DeclaringType?.TypeInitializer);
                if (callee is not null)
                {
                    yield return callee.DeclaringType is { IsConstructedGenericType: true } || callee is MethodInfo { IsConstructedGenericMethod: true }
                        ? Resolve(() => callee.Module.ResolveMethod(callee.MetadataToken)) ?? callee
                        : callee;
                }
            }
        }
    }

    // Tokens into assemblies the test host did not load (or open generics without a context) are not ours to follow.
    private static MethodBase? Resolve(Func<MethodBase?> resolve)
    {
        try
        {
            return resolve();
        }
        catch (Exception e) when (e is ArgumentException or BadImageFormatException or TypeLoadException or FileNotFoundException or MissingMemberException)
        {
            return null;
        }
    }
}
