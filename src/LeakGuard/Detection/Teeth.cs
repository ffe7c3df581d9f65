namespace LeakGuard.Detection;

/// <summary>
/// A sawtooth's teeth, read from a signal's bucket minima. A signal that climbs for many buckets and falls back at once,
/// again and again — the heap between collections, resident memory, a count of objects a collection frees (timers never
/// disposed) — has its floor at its troughs only: inside a tooth, a bucket's minimum is a point on the climb, and a tooth
/// longer than the newest floors' span reads as a rise. So each bucket's floor is taken over the longest tooth the signal
/// shows: the lowest minimum of that many buckets back (<see cref="Span"/>). A tooth's climb then vanishes as a bucket's
/// own sawtooth does; a leak under the teeth lifts the troughs, and the floors with them.
/// <para>
/// A tooth is a climb ended by a fall: the fall is more than <see cref="FallSteps"/> typical steps (the median absolute
/// change between consecutive bucket minima), no step up within the climb is (a jump up is a spike or a load step, not a
/// climb), and the climb regains at least half of what the fall drops (two steps down in a row are load shifts, not a
/// tooth). Teeth count only when at least <see cref="MinTeeth"/> recur; noise, spikes, level shifts, a daily cycle and a
/// staircase leak have none.
/// </para>
/// </summary>
internal static class Teeth
{
    /// <summary>How many typical steps a fall must exceed to end a tooth (and a step up must not, within one).</summary>
    internal const double FallSteps = 6;

    /// <summary>How many teeth must recur before the floors span them.</summary>
    internal const int MinTeeth = 3;

    /// <summary>The longest recurring tooth, in buckets (from one fall to the next); 1 when fewer than <see cref="MinTeeth"/> recur.</summary>
    /// <param name="buckets">Consecutive buckets, oldest first.</param>
    /// <returns>The number of buckets each floor must span to reach a trough.</returns>
    public static int Longest(ReadOnlySpan<SignalPoint> buckets)
    {
        var m = buckets.Length;
        if (m < (2 * MinTeeth) + 1)
        {
            return 1;
        }

        var steps = m <= 1024 ? stackalloc double[m - 1] : new double[m - 1];
        for (var j = 1; j < m; j++)
        {
            var step = Math.Abs(buckets[j].Min - buckets[j - 1].Min);
            steps[j - 1] = double.IsFinite(step) ? step : 0;
        }

        var threshold = FallSteps * GrowthComparison.MedianInPlace(steps);
        var lastFall = -1;
        var gradual = true;
        var teeth = 0;
        var longest = 1;
        for (var j = 1; j < m; j++)
        {
            var step = buckets[j].Min - buckets[j - 1].Min;
            if (!double.IsFinite(step))
            {
                gradual = false;
                continue;
            }

            if (step > threshold)
            {
                gradual = false;
            }
            else if (-step > threshold && step < 0)
            {
                // The climb since the last fall regains at least half of this fall: a tooth.
                if (lastFall >= 0 && gradual && buckets[j - 1].Min - buckets[lastFall].Min >= -step / 2)
                {
                    teeth++;
                    longest = Math.Max(longest, j - lastFall);
                }

                (lastFall, gradual) = (j, true);
            }
        }

        return teeth >= MinTeeth ? longest : 1;
    }

    /// <summary>
    /// Makes each bucket span <paramref name="longest"/> buckets back (within the given ones): its minimum the lowest, its
    /// maximum the highest of them; <paramref name="at"/> receives the index the minimum was read at (its first occurrence
    /// in the window). Consecutive buckets may then share one minimum: the same trough, which counts once.
    /// </summary>
    /// <param name="buckets">Consecutive buckets, oldest first; rewritten in place.</param>
    /// <param name="at">Receives, per bucket, the index of the bucket its minimum was read in.</param>
    /// <param name="longest">How many buckets each spans (1: unchanged).</param>
    public static void Span(Span<SignalPoint> buckets, Span<int> at, int longest)
    {
        var m = buckets.Length;
        if (longest <= 1)
        {
            for (var j = 0; j < m; j++)
            {
                at[j] = j;
            }

            return;
        }

        // From the newest back, so every window still reads the original buckets before they are rewritten. A minimum
        // is read where it first occurs in the window, so floors grouped from these stand in time order.
        for (var j = m - 1; j >= 0; j--)
        {
            var lo = double.PositiveInfinity;
            var hi = double.NegativeInfinity;
            var where = j;
            for (var k = Math.Max(0, j - longest + 1); k <= j; k++)
            {
                if (buckets[k].Min < lo)
                {
                    (lo, where) = (buckets[k].Min, k);
                }

                hi = Math.Max(hi, buckets[k].Max);
            }

            buckets[j] = new SignalPoint { Timestamp = buckets[j].Timestamp, Min = lo, Max = hi, Last = buckets[j].Last };
            at[j] = where;
        }
    }
}
