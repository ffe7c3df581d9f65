namespace LeakGuard.Retention;

/// <summary>The retained watched objects of one type, with their labels.</summary>
/// <param name="Type">The objects' type.</param>
/// <param name="Count">How many of them are retained.</param>
/// <param name="Labels">Their distinct labels, most frequent first, with a count suffix such as <c>checkout page (×3)</c>.</param>
internal sealed record RetainedTypeGroup(Type Type, int Count, IReadOnlyList<string> Labels);
