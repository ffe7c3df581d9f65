using System.Text;

namespace LeakGuard.Investigation;

/// <summary>
/// Renders the runtime's type names readably: <c>System.Collections.Generic.Dictionary`2[System.Guid,MyApp.Session]</c>
/// becomes <c>Dictionary&lt;Guid, MyApp.Session&gt;</c>; framework namespaces (<c>System.*</c>) are dropped, application
/// namespaces kept; nested types use '.'; compiler-generated closures, lambda caches and state machines are named
/// as such (see <see cref="CompilerGeneratedName"/>).
/// </summary>
internal static class TypeNameFormatter
{
    /// <summary>Renders a raw type name.</summary>
    /// <param name="rawName">The name as the runtime reported it.</param>
    /// <returns>The readable name.</returns>
    public static string Format(string rawName)
    {
        ArgumentNullException.ThrowIfNull(rawName);
        var builder = new StringBuilder(rawName.Length);
        var position = 0;
        try
        {
            AppendType(rawName, ref position, builder);
        }
        catch (FormatException)
        {
            return rawName;
        }

        return position == rawName.Length ? builder.ToString() : rawName;
    }

    private static void AppendType(string name, ref int position, StringBuilder builder)
    {
        // An assembly-qualified argument: [Name, Assembly, Version=…]
        if (position < name.Length && name[position] == '[')
        {
            position++;
            AppendType(name, ref position, builder);
            SkipTo(name, ref position, ']');
            position++;
            return;
        }

        var start = position;
        while (position < name.Length && name[position] is not ('`' or '[' or ',' or ']'))
        {
            position++;
        }

        var simple = name[start..position];
        var arity = 0;
        if (position < name.Length && name[position] == '`')
        {
            position++;
            var arityStart = position;
            while (position < name.Length && char.IsAsciiDigit(name[position]))
            {
                position++;
            }

            arity = int.Parse(name.AsSpan(arityStart, position - arityStart), System.Globalization.CultureInfo.InvariantCulture);

            // Nested generic types carry a second arity after the '+': Outer`1+Inner`1 — keep reading the name.
            while (position < name.Length && name[position] is not ('[' or ',' or ']'))
            {
                var more = position;
                while (position < name.Length && name[position] is not ('`' or '[' or ',' or ']'))
                {
                    position++;
                }

                simple += name[more..position];
                if (position < name.Length && name[position] == '`')
                {
                    position++;
                    var nestedArityStart = position;
                    while (position < name.Length && char.IsAsciiDigit(name[position]))
                    {
                        position++;
                    }

                    arity += int.Parse(name.AsSpan(nestedArityStart, position - nestedArityStart), System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }

        builder.Append(ShortName(simple));
        if (arity > 0 && position < name.Length && name[position] == '[' && !IsArraySuffix(name, position))
        {
            position++;
            builder.Append('<');
            for (var i = 0; ; i++)
            {
                if (i > 0)
                {
                    builder.Append(", ");
                }

                AppendType(name, ref position, builder);
                if (position >= name.Length)
                {
                    throw new FormatException();
                }

                if (name[position] == ',')
                {
                    position++;
                    continue;
                }

                if (name[position] == ']')
                {
                    position++;
                    break;
                }

                throw new FormatException();
            }

            builder.Append('>');
        }

        while (position < name.Length && IsArraySuffix(name, position))
        {
            var end = name.IndexOf(']', position);
            builder.Append(name, position, end - position + 1);
            position = end + 1;
        }
    }

    private static bool IsArraySuffix(string name, int position)
    {
        if (name[position] != '[')
        {
            return false;
        }

        for (var i = position + 1; i < name.Length; i++)
        {
            switch (name[i])
            {
                case ']':
                    return true;
                case ',' or '*':
                    continue;
                default:
                    return false;
            }
        }

        return false;
    }

    private static void SkipTo(string name, ref int position, char stop)
    {
        var depth = 0;
        while (position < name.Length)
        {
            var c = name[position];
            if (c == '[')
            {
                depth++;
            }
            else if (c == ']')
            {
                if (depth == 0 && c == stop)
                {
                    return;
                }

                depth--;
            }

            position++;
        }

        throw new FormatException();
    }

    private static string ShortName(string fullName)
    {
        var nestedStart = fullName.IndexOf('+', StringComparison.Ordinal);
        var outer = nestedStart < 0 ? fullName : fullName[..nestedStart];
        if (outer.StartsWith("System.", StringComparison.Ordinal))
        {
            outer = outer[(outer.LastIndexOf('.') + 1)..];
        }

        if (nestedStart < 0)
        {
            return CompilerGeneratedName.Describe(outer, null) ?? outer;
        }

        var segments = fullName[(nestedStart + 1)..].Split('+');
        var result = new StringBuilder(outer);
        var declaring = outer;
        foreach (var segment in segments)
        {
            if (CompilerGeneratedName.Describe(segment, declaring) is { } described)
            {
                return described;
            }

            result.Append('.').Append(segment);
            declaring = result.ToString();
        }

        return result.ToString();
    }
}
