namespace LeakGuard.LeakZoo.Scenarios;

/// <summary>An order as an export endpoint writes it as XML.</summary>
public sealed class ExportedOrder
{
    public long Id { get; set; }

    public string? Customer { get; set; }
}
