using System.Globalization;
using System.Text;

namespace LeakGuard.Cli;

/// <summary>
/// Reads a file line by line without holding it whole and refuses a line longer than <see cref="MaxLineLength"/>, so
/// <c>/dev/zero</c> or a binary file ends with one message instead of exhausting memory.
/// </summary>
internal static class CsvLines
{
    /// <summary>The longest line accepted (a timestamp and a few numbers need well under a hundred characters).</summary>
    public const int MaxLineLength = 4096;

    /// <summary>Reads the lines of a text.</summary>
    /// <param name="reader">The text.</param>
    /// <returns>The lines, lazily.</returns>
    /// <exception cref="InvalidDataException">A line is longer than <see cref="MaxLineLength"/>.</exception>
    public static IEnumerable<string> Read(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var line = new StringBuilder();
        var lineNumber = 1;
        var buffer = new char[4096];
        int read;
        while ((read = reader.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                var c = buffer[i];
                if (c == '\n')
                {
                    yield return line.ToString().TrimEnd('\r');
                    line.Clear();
                    lineNumber++;
                }
                else if (line.Length == MaxLineLength)
                {
                    throw new InvalidDataException(string.Create(CultureInfo.InvariantCulture, $"line {lineNumber} is longer than {MaxLineLength} characters; this is not a timestamp,value file."));
                }
                else
                {
                    line.Append(c);
                }
            }
        }

        if (line.Length > 0)
        {
            yield return line.ToString().TrimEnd('\r');
        }
    }
}
