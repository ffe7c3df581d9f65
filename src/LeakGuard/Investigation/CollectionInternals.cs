namespace LeakGuard.Investigation;

/// <summary>
/// Folds a collection's internal objects into the collection on a retention path: <c>Dictionary&lt;Guid, Session&gt;
/// → Dictionary.Entry&lt;Guid, Session&gt;[] → Session</c> reads <c>Dictionary&lt;Guid, Session&gt; → Session</c>, and
/// <c>ConcurrentDictionary</c>'s <c>Tables</c>, <c>VolatileNode[]</c> and <c>Node</c> chain, or a <c>List&lt;T&gt;</c>'s
/// <c>T[]</c>, disappear the same way. The rule is structural, not a list of names: a step carrying the same generic
/// arguments as the collection before it (or the array of its only argument) is that collection's plumbing. The runtime's
/// own lists fold the same way (<see cref="FoldRuntimeLists"/>): a multicast delegate's invocation list and the timer queue.
/// </summary>
internal static class CollectionInternals
{
    private const string TimerQueue = "TimerQueue";
    private const string TimerQueueTimer = "TimerQueueTimer";

    /// <summary>
    /// Drops the runtime's lists that a reader does not act on; the last step always stays. A multicast delegate keeps
    /// its handlers in an <c>Object[]</c> of delegates of its own type: <c>EventHandler → Object[] → EventHandler</c> reads
    /// <c>EventHandler</c> (the rule is the shape: an <c>Object[]</c> between two steps of one type). The timer queue
    /// (<c>TimerQueue[] → TimerQueue</c>, one queue per processor) before a <c>TimerQueueTimer</c> is left out, so a timer's
    /// path reads from the timer; its root still names the static field that holds the queues.
    /// </summary>
    /// <param name="chain">The type names from the root's object to the instance.</param>
    /// <returns>The folded chain.</returns>
    public static List<string> FoldRuntimeLists(List<string> chain)
    {
        var folded = new List<string>(chain.Count);
        for (var i = 0; i < chain.Count; i++)
        {
            var step = chain[i];
            var last = i == chain.Count - 1;
            if (!last && IsInvocationList(chain, i))
            {
                i++; // the handler: a delegate of the type already on the path (when it is the instance, that step names it)
                continue;
            }

            if (!last && IsTimerQueue(chain, i))
            {
                continue;
            }

            folded.Add(step);
        }

        return folded;
    }

    private static bool IsInvocationList(List<string> chain, int i) =>
        i > 0 && chain[i] == "Object[]" && string.Equals(chain[i - 1], chain[i + 1], StringComparison.Ordinal) && !chain[i - 1].EndsWith("[]", StringComparison.Ordinal);

    // TimerQueue[] → TimerQueue → TimerQueueTimer…, or TimerQueue → TimerQueueTimer… (a root that holds one queue).
    private static bool IsTimerQueue(List<string> chain, int i) =>
        (chain[i] == TimerQueue && IsTimer(chain[i + 1]))
        || (chain[i] == TimerQueue + "[]" && chain[i + 1] == TimerQueue && i + 2 < chain.Count && IsTimer(chain[i + 2]));

    private static bool IsTimer(string step) => step.StartsWith(TimerQueueTimer, StringComparison.Ordinal);

    /// <summary>Drops the internal steps of the collections along a chain; the first and last steps always stay.</summary>
    /// <param name="chain">The type names from the root's object to the instance.</param>
    /// <returns>The folded chain.</returns>
    public static List<string> Fold(List<string> chain)
    {
        var folded = new List<string>(chain.Count);
        string? arguments = null;
        for (var i = 0; i < chain.Count; i++)
        {
            var step = chain[i];
            var last = i == chain.Count - 1;
            if (!last && arguments is not null && IsInternalOf(step, arguments))
            {
                continue;
            }

            folded.Add(step);
            arguments = GenericArguments(step);
        }

        return folded;
    }

    private static bool IsInternalOf(string step, string collectionArguments) =>
        string.Equals(GenericArguments(step), collectionArguments, StringComparison.Ordinal)
        || (step.EndsWith("[]", StringComparison.Ordinal) && string.Equals(step[..^2], collectionArguments, StringComparison.Ordinal));

    private static string? GenericArguments(string type)
    {
        var open = type.IndexOf('<', StringComparison.Ordinal);
        if (open < 0)
        {
            return null;
        }

        var depth = 0;
        for (var i = open; i < type.Length; i++)
        {
            depth += type[i] switch { '<' => 1, '>' => -1, _ => 0 };
            if (depth == 0)
            {
                return type[(open + 1)..i];
            }
        }

        return null;
    }
}
