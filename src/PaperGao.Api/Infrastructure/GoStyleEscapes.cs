namespace PaperGao.Api.Infrastructure;

/// <summary>
/// Rewrites the escapes of written JSON the way Go's encoding/json writes them: System.Text.Json escapes ', +, ` and "
/// as \u0027, \u002B, \u0060, \u0022 and writes other escapes in uppercase hex ("\u003C"); PocketBase writes ', +, `
/// as they are, " as \" and "\u003c". Clients comparing bytes see PocketBase's form; the JSON value is unchanged.
/// Works in place (the text only shrinks) and returns the new length.
/// </summary>
public static class GoStyleEscapes
{
    public static int Rewrite(Span<byte> json)
    {
        var first = json.IndexOf((byte)'\\');
        if (first < 0) return json.Length;
        var read = first;
        var write = first;
        while (read < json.Length)
        {
            var b = json[read];
            if (b != (byte)'\\' || read + 1 >= json.Length)
            {
                json[write++] = b;
                read++;
                continue;
            }
            if (json[read + 1] == (byte)'u' && read + 5 < json.Length && json[read + 2] == (byte)'0' && json[read + 3] == (byte)'0')
            {
                var hi = json[read + 4];
                var lo = json[read + 5];
                byte? plain = (hi, lo) switch
                {
                    ((byte)'2', (byte)'7') => (byte)'\'',
                    ((byte)'2', (byte)'B') => (byte)'+',
                    ((byte)'6', (byte)'0') => (byte)'`',
                    _ => null,
                };
                if (plain is { } p)
                {
                    json[write++] = p;
                    read += 6;
                    continue;
                }
                if (hi == (byte)'2' && lo == (byte)'2')
                {
                    json[write++] = (byte)'\\';
                    json[write++] = (byte)'"';
                    read += 6;
                    continue;
                }
            }
            if (json[read + 1] == (byte)'u' && read + 5 < json.Length)
            {
                json[write++] = (byte)'\\';
                json[write++] = (byte)'u';
                for (var k = read + 2; k < read + 6; k++) json[write++] = json[k] is >= (byte)'A' and <= (byte)'F' ? (byte)(json[k] + 32) : json[k];
                read += 6;
                continue;
            }
            json[write++] = b;
            json[write++] = json[read + 1];
            read += 2;
        }
        return write;
    }
}
