using System.Globalization;
using System.Text;

namespace LeakGuard.Cli;

/// <summary>
/// Writes text for a terminal with every control character but the line feed escaped as <c>\u001B</c>: a type name
/// in a report or a field of a CSV file may carry ESC, BEL or OSC sequences that would otherwise drive the terminal.
/// </summary>
internal sealed class TerminalWriter : TextWriter
{
    private readonly TextWriter _inner;

    /// <summary>Initializes a new instance of the <see cref="TerminalWriter"/> class.</summary>
    /// <param name="inner">The writer that receives the escaped text.</param>
    public TerminalWriter(TextWriter inner)
        : base(CultureInfo.InvariantCulture) => _inner = inner;

    /// <inheritdoc/>
    public override Encoding Encoding => _inner.Encoding;

    /// <summary>Escapes the control characters of a text.</summary>
    /// <param name="text">The text.</param>
    /// <returns>The text with each control character but <c>\n</c> written as <c>\uXXXX</c>.</returns>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(IsEscaped))
        {
            return text;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (IsEscaped(c))
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                escaped.Append(c);
            }
        }

        return escaped.ToString();
    }

    /// <inheritdoc/>
    public override void Write(char value)
    {
        if (IsEscaped(value))
        {
            _inner.Write(Escape(value.ToString()));
        }
        else
        {
            _inner.Write(value);
        }
    }

    /// <inheritdoc/>
    public override void Write(string? value)
    {
        if (value is not null)
        {
            _inner.Write(Escape(value));
        }
    }

    /// <inheritdoc/>
    public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

    /// <inheritdoc/>
    public override void WriteLine(string? value)
    {
        Write(value);
        _inner.WriteLine();
    }

    /// <inheritdoc/>
    public override void WriteLine() => _inner.WriteLine();

    /// <inheritdoc/>
    public override Task WriteAsync(string? value)
    {
        Write(value);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override Task WriteLineAsync(string? value)
    {
        WriteLine(value);
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public override void Flush() => _inner.Flush();

    // The line feed is the output's own structure; a carriage return could overwrite a line on screen.
    private static bool IsEscaped(char c) => c != '\n' && (char.IsControl(c) || c is '\u2028' or '\u2029' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069'));
}
