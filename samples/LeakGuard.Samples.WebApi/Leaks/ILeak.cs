namespace LeakGuard.Samples.WebApi.Leaks;

/// <summary>One kind of leak from the field guide: each step retains a little more, until released.</summary>
public interface ILeak
{
    /// <summary>The name used in the URL: /leaks/{name}/start.</summary>
    string Name { get; }

    /// <summary>What the leak imitates, and which LeakGuard signal shows it.</summary>
    string Description { get; }

    /// <summary>How many things the leak holds now.</summary>
    long Held { get; }

    /// <summary>Retains one more thing.</summary>
    void Step();

    /// <summary>Lets go of everything (the fix).</summary>
    void Release();
}
