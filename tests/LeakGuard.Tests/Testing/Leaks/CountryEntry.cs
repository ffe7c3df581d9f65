namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>One entry of the lazily built table.</summary>
internal sealed class CountryEntry(int code)
{
    public int Code => code;
}
