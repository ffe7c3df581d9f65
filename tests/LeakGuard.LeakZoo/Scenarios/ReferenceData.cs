namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>One entry of the application's long-lived reference data (about 4 KiB).</summary>
internal sealed class ReferenceData
{
    private Payload4K _content;

    public ReferenceData(int id)
    {
        Id = id;
        _content[0] = (byte)id;
    }

    public int Id { get; }
}
