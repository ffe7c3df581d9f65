namespace LeakGuard.Investigation;

/// <summary>One assembly load LeakGuard saw (through <see cref="System.AppDomain.AssemblyLoad"/>), by name.</summary>
public sealed class LoadedAssembly
{
    /// <summary>Gets the assembly's simple name, for example <c>Microsoft.GeneratedCode</c> (XmlSerializer's generated code).</summary>
    public required string Name { get; init; }

    /// <summary>Gets a value indicating whether the assembly was generated at run time (<see cref="System.Reflection.Assembly.IsDynamic"/>).</summary>
    public bool Dynamic { get; init; }

    /// <summary>Gets a value indicating whether the assembly can be unloaded (<see cref="System.Reflection.Assembly.IsCollectible"/>).</summary>
    public bool Collectible { get; init; }

    /// <summary>Gets when it was loaded.</summary>
    public DateTimeOffset LoadedAt { get; init; }
}
