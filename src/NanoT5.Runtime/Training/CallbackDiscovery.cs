// Experiment projects may add C# files with training callbacks; an experiment program finds them in its
// own assembly, so they work without registration.
using System.Reflection;

namespace NanoT5.Training;

/// <summary>Finds <see cref="ITrainingCallback"/> implementations in an assembly.</summary>
public static class CallbackDiscovery
{
    /// <summary>
    /// One instance of every public, non-abstract class in <paramref name="assembly"/> that implements
    /// <see cref="ITrainingCallback"/> and has a public parameterless constructor, in name order.
    /// The runtime's own assembly contributes none.
    /// </summary>
    public static IReadOnlyList<ITrainingCallback> In(Assembly? assembly)
    {
        if (assembly is null || assembly == typeof(CallbackDiscovery).Assembly)
        {
            return [];
        }

        return assembly.GetExportedTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(ITrainingCallback).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (ITrainingCallback)Activator.CreateInstance(t)!)
            .ToList();
    }
}
