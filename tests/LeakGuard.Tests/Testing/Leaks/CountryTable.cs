namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>A lookup table built lazily on first use: 2,000 objects, once.</summary>
internal sealed class CountryTable
{
    private static readonly Lazy<CountryTable> Instance = new(() => new CountryTable());
    private readonly Dictionary<int, CountryEntry> _entries = [];

    private CountryTable()
    {
        for (var i = 0; i < 2000; i++)
        {
            _entries[i] = new CountryEntry(i);
        }
    }

    public static CountryEntry Lookup(int code) => Instance.Value._entries[code % 2000];
}
