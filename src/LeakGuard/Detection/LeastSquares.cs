namespace LeakGuard.Detection;

/// <summary>
/// Ordinary least squares for the detector's small models (an intercept and up to four more columns), by normal
/// equations on centred values. Pure and allocation-free: columns and scratch are the caller's spans.
/// </summary>
internal static class LeastSquares
{
    /// <summary>The most columns a model may have, intercept included.</summary>
    public const int MaxColumns = 5;

    /// <summary>
    /// Fits <paramref name="y"/> on an intercept plus <paramref name="columnCount"/> columns stored one after another in
    /// <paramref name="columns"/> (each <c>y.Length</c> long).
    /// </summary>
    /// <param name="y">The values (centred by the caller for precision).</param>
    /// <param name="columns">The columns besides the intercept, concatenated.</param>
    /// <param name="columnCount">How many columns <paramref name="columns"/> holds (0–4).</param>
    /// <param name="coefficients">Receives the intercept and then one coefficient per column.</param>
    /// <param name="inverseDiagonalLast">Receives the last coefficient's diagonal element of (X'X)⁻¹ (for its standard error).</param>
    /// <returns>The residual sum of squares, or +∞ when the columns are collinear.</returns>
    public static double Fit(ReadOnlySpan<double> y, ReadOnlySpan<double> columns, int columnCount, Span<double> coefficients, out double inverseDiagonalLast)
    {
        var k = columnCount + 1;
        var n = y.Length;
        Span<double> a = stackalloc double[MaxColumns * (MaxColumns + 1)];
        Span<double> row = stackalloc double[MaxColumns];
        var yy = 0.0;
        for (var i = 0; i < n; i++)
        {
            row[0] = 1;
            for (var c = 0; c < columnCount; c++)
            {
                row[c + 1] = columns[(c * n) + i];
            }

            var yi = y[i];
            yy += yi * yi;
            for (var r = 0; r < k; r++)
            {
                var xr = row[r];
                for (var c = r; c < k; c++)
                {
                    a[(r * (MaxColumns + 1)) + c] += xr * row[c];
                }

                a[(r * (MaxColumns + 1)) + MaxColumns] += xr * yi;
            }
        }

        for (var r = 0; r < k; r++)
        {
            for (var c = 0; c < r; c++)
            {
                a[(r * (MaxColumns + 1)) + c] = a[(c * (MaxColumns + 1)) + r];
            }
        }

        inverseDiagonalLast = double.NaN;
        if (!Solve(a, k, coefficients, out var lastInverse))
        {
            return double.PositiveInfinity;
        }

        inverseDiagonalLast = lastInverse;
        var explained = 0.0;
        for (var r = 0; r < k; r++)
        {
            explained += coefficients[r] * a[(r * (MaxColumns + 1)) + MaxColumns];
        }

        // yy − b'X'y, which rounding can take a hair below zero on an exact fit.
        return Math.Max(0, yy - explained);
    }

    /// <summary>Solves the k×k system in <paramref name="a"/> (right-hand side in the last column) by Cholesky.</summary>
    private static bool Solve(Span<double> a, int k, Span<double> x, out double lastInverse)
    {
        const int W = MaxColumns + 1;
        Span<double> l = stackalloc double[MaxColumns * MaxColumns];
        lastInverse = double.NaN;
        for (var j = 0; j < k; j++)
        {
            var d = a[(j * W) + j];
            for (var p = 0; p < j; p++)
            {
                d -= l[(j * MaxColumns) + p] * l[(j * MaxColumns) + p];
            }

            // A pivot this small relative to its column's own scale means collinear columns.
            if (!(d > 1e-10 * Math.Max(1e-300, a[(j * W) + j])))
            {
                return false;
            }

            var root = Math.Sqrt(d);
            l[(j * MaxColumns) + j] = root;
            for (var i = j + 1; i < k; i++)
            {
                var s = a[(i * W) + j];
                for (var p = 0; p < j; p++)
                {
                    s -= l[(i * MaxColumns) + p] * l[(j * MaxColumns) + p];
                }

                l[(i * MaxColumns) + j] = s / root;
            }
        }

        Span<double> z = stackalloc double[MaxColumns];
        for (var i = 0; i < k; i++)
        {
            var s = a[(i * W) + MaxColumns];
            for (var p = 0; p < i; p++)
            {
                s -= l[(i * MaxColumns) + p] * z[p];
            }

            z[i] = s / l[(i * MaxColumns) + i];
        }

        for (var i = k - 1; i >= 0; i--)
        {
            var s = z[i];
            for (var p = i + 1; p < k; p++)
            {
                s -= l[(p * MaxColumns) + i] * x[p];
            }

            x[i] = s / l[(i * MaxColumns) + i];
        }

        // (X'X)⁻¹ at the last diagonal place is 1/L[k−1,k−1]² for Cholesky's last row.
        var last = l[((k - 1) * MaxColumns) + k - 1];
        lastInverse = 1 / (last * last);
        return true;
    }
}
