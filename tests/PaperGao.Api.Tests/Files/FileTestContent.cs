using System.Buffers.Binary;
using System.IO.Compression;
using System.Text.Json.Nodes;
using SkiaSharp;

namespace PaperGao.Api.Tests.Files;

/// <summary>Test files: real images made with SkiaSharp, a decompression bomb, executables, and multipart helpers.</summary>
internal static class FileTestContent
{
    public static byte[] Png(int width, int height) => Encode(width, height, SKEncodedImageFormat.Png);

    public static byte[] Jpeg(int width, int height) => Encode(width, height, SKEncodedImageFormat.Jpeg);

    private static byte[] Encode(int width, int height, SKEncodedImageFormat format)
    {
        using var bitmap = new SKBitmap(width, height);
        using (var canvas = new SKCanvas(bitmap))
        {
            canvas.Clear(SKColors.SteelBlue);
            using var paint = new SKPaint { Color = SKColors.Orange };
            canvas.DrawRect(0, 0, width / 2f, height / 2f, paint);
        }
        using var data = bitmap.Encode(format, 90);
        return data.ToArray();
    }

    /// <summary>The size of an encoded image.</summary>
    public static (int Width, int Height) SizeOf(byte[] image)
    {
        using var codec = SKCodec.Create(new MemoryStream(image));
        return (codec.Info.Width, codec.Info.Height);
    }

    /// <summary>A valid PNG of a few hundred bytes that declares 100,000 × 100,000 pixels (40 GB decoded).</summary>
    public static byte[] PngBomb()
    {
        using var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var ihdr = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(ihdr, 100_000);
        BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), 100_000);
        ihdr[8] = 8; // bit depth, then color type 0 (gray), compression, filter, interlace
        Chunk(ms, "IHDR", ihdr);
        using (var z = new MemoryStream())
        {
            using (var zl = new ZLibStream(z, CompressionLevel.SmallestSize, leaveOpen: true)) zl.Write(new byte[100_001 * 4]);
            Chunk(ms, "IDAT", z.ToArray());
        }
        Chunk(ms, "IEND", []);
        return ms.ToArray();
    }

    private static void Chunk(Stream s, string type, byte[] data)
    {
        var len = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
        s.Write(len);
        var typed = new byte[4 + data.Length];
        System.Text.Encoding.ASCII.GetBytes(type).CopyTo(typed, 0);
        data.CopyTo(typed, 4);
        s.Write(typed);
        var crc = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
        s.Write(crc);
    }

    private static uint Crc32(byte[] data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data)
        {
            crc ^= b;
            for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
        }
        return ~crc;
    }

    /// <summary>The start of a Windows executable (MZ header) padded with zeros.</summary>
    public static byte[] Exe() => [(byte)'M', (byte)'Z', 0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xFF, 0xFF, .. new byte[200]];

    /// <summary>
    /// A multipart body built byte by byte, so file names can hold what HttpClient's header checks refuse (NUL,
    /// quotes, very long names): what a hostile client can send. Values are (key, filename, content); a null
    /// filename makes a plain field part.
    /// </summary>
    public static HttpContent Form(params (string Key, string? Name, byte[] Data)[] parts)
    {
        var boundary = "----pgtest" + Guid.NewGuid().ToString("N");
        using var ms = new MemoryStream();
        foreach (var (key, name, data) in parts)
        {
            var header = $"--{boundary}\r\nContent-Disposition: form-data; name=\"{key}\"" +
                         (name is null ? "" : $"; filename=\"{name.Replace("\"", "%22", StringComparison.Ordinal)}\"\r\nContent-Type: application/octet-stream") + "\r\n\r\n";
            ms.Write(System.Text.Encoding.UTF8.GetBytes(header));
            ms.Write(data);
            ms.Write("\r\n"u8);
        }
        ms.Write(System.Text.Encoding.ASCII.GetBytes($"--{boundary}--\r\n"));
        var content = new ByteArrayContent(ms.ToArray());
        content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");
        return content;
    }

    /// <summary>A plain (non-file) part for <see cref="Form"/>.</summary>
    public static (string, string?, byte[]) Field(string key, string value) => (key, null, System.Text.Encoding.UTF8.GetBytes(value));

    public static async Task<(int Status, JsonNode Body)> SendAsync(HttpClient client, HttpMethod method, string url, HttpContent? content, CancellationToken ct)
    {
        using var req = new HttpRequestMessage(method, url) { Content = content };
        using var r = await client.SendAsync(req, ct);
        var text = await r.Content.ReadAsStringAsync(ct);
        return ((int)r.StatusCode, text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!);
    }

    public static List<string> Names(JsonNode? node) => node switch
    {
        JsonArray a => [.. a.Select(x => x!.GetValue<string>())],
        JsonValue v when v.GetValue<string>() is { Length: > 0 } s => [s],
        _ => [],
    };
}
