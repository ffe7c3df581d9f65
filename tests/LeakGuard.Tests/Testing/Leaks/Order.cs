namespace LeakGuard.Tests.Testing.Leaks;

/// <summary>The README example's order.</summary>
public sealed record Order(Guid Id, string Sku);
