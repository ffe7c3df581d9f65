using System.Text.RegularExpressions;

namespace LeakGuard.IntegrationTests.Zoo;

/// <summary>
/// What LeakGuard must say about one zoo scenario: the signal class of the leak, and for managed leaks
/// the type that leaks and a pattern naming its holder (the static field, or the holding structure); for generated code
/// the known pattern the report must match by the generated assemblies' names, and the name those assemblies carry
/// (<see cref="GeneratedName"/>): the report classifies the growth as generated code by listing them. A managed leak's report must also match the
/// catalogue pattern (<see cref="Pattern"/>, an id of the catalogue in docs/investigation.md) and give its fix, and the top
/// allocation stack of its top type must contain the scenario's own method that allocates it (<see cref="AllocatedIn"/>, issue 18).
/// </summary>
internal sealed record ZooExpectation(string Name, ZooSignalClass SignalClass, string? LeakedType = null, string? HolderPattern = null, string? GeneratedPattern = null, string? Pattern = null, string? AllocatedIn = null, string? GeneratedName = null)
{
    public bool IsLeak => SignalClass != ZooSignalClass.None;

    public bool ExpectsReport => SignalClass == ZooSignalClass.ManagedHeap;

    /// <summary>Whether a report's type name is the expected leaked type (full name, or the name without namespace).</summary>
    public bool IsLeakedType(string? typeName)
    {
        if (LeakedType is null || typeName is null)
        {
            return false;
        }

        var shortName = LeakedType[(LeakedType.LastIndexOf('.') + 1)..];
        return typeName == LeakedType || typeName == shortName || typeName.EndsWith("." + shortName, StringComparison.Ordinal);
    }

    /// <summary>Whether a retention path (root and chain, as text) names the expected holder.</summary>
    public bool NamesHolder(string pathText) =>
        HolderPattern is not null && Regex.IsMatch(pathText, HolderPattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    /// <summary>Whether an allocation stack (frames as the report prints them, <c>module!Namespace.Type.Method(args)</c>) has a frame of <see cref="AllocatedIn"/>.</summary>
    public bool HasAllocatingFrame(IReadOnlyList<string> frames) =>
        AllocatedIn is not null && frames.Any(f => f.Contains("." + AllocatedIn + "(", StringComparison.Ordinal));

    public override string ToString() => Name;
}
