using System.Text;

namespace PaperGao.Core.Files;

/// <summary>
/// The MIME type of content from its first bytes (the client's Content-Type is never trusted): images, audio,
/// video, documents, archives, executables, and text (HTML, SVG, XML, JSON recognised so they can be served
/// safely). Unknown binary content is application/octet-stream.
/// </summary>
public static class ContentSniffer
{
    public const int HeaderLength = 512;

    public static string Detect(ReadOnlySpan<byte> b)
    {
        if (b.Length == 0) return "text/plain; charset=utf-8";
        if (Starts(b, [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A])) return "image/png";
        if (Starts(b, [0xFF, 0xD8, 0xFF])) return "image/jpeg";
        if (Starts(b, "GIF87a"u8) || Starts(b, "GIF89a"u8)) return "image/gif";
        if (b.Length >= 12 && Starts(b, "RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) return "image/webp";
        if (b.Length >= 12 && Starts(b, "RIFF"u8) && b[8..12].SequenceEqual("WAVE"u8)) return "audio/wav";
        if (b.Length >= 12 && Starts(b, "RIFF"u8) && b[8..12].SequenceEqual("AVI "u8)) return "video/x-msvideo";
        if (Starts(b, "BM"u8) && b.Length >= 14) return "image/bmp";
        if (Starts(b, [0x00, 0x00, 0x01, 0x00])) return "image/x-icon";
        if (Starts(b, "II*\0"u8) || Starts(b, "MM\0*"u8)) return "image/tiff";
        if (b.Length >= 12 && b[4..8].SequenceEqual("ftyp"u8)) return Ftyp(b[8..12]);
        if (Starts(b, [0x1A, 0x45, 0xDF, 0xA3])) return "video/webm";
        if (Starts(b, "OggS"u8)) return "audio/ogg";
        if (Starts(b, "ID3"u8) || (b.Length >= 2 && b[0] == 0xFF && (b[1] & 0xE0) == 0xE0)) return "audio/mpeg";
        if (Starts(b, "fLaC"u8)) return "audio/flac";
        if (Starts(b, "%PDF-"u8)) return "application/pdf";
        if (Starts(b, [(byte)'P', (byte)'K', 3, 4]) || Starts(b, [(byte)'P', (byte)'K', 5, 6])) return "application/zip";
        if (Starts(b, [0x1F, 0x8B])) return "application/gzip";
        if (Starts(b, "7z"u8) && b.Length > 5 && b[2] == 0xBC) return "application/x-7z-compressed";
        if (Starts(b, "Rar!"u8)) return "application/x-rar-compressed";
        if (Starts(b, "MZ"u8)) return "application/vnd.microsoft.portable-executable";
        if (Starts(b, [0x7F, (byte)'E', (byte)'L', (byte)'F'])) return "application/x-elf";
        if (Starts(b, [0xCF, 0xFA, 0xED, 0xFE]) || Starts(b, [0xFE, 0xED, 0xFA, 0xCF]) || Starts(b, [0xCA, 0xFE, 0xBA, 0xBE])) return "application/x-mach-binary";
        if (Starts(b, "wOFF"u8)) return "font/woff";
        if (Starts(b, "wOF2"u8)) return "font/woff2";
        if (Starts(b, "#!"u8)) return "text/x-shellscript";
        return Text(b);
    }

    private static string Ftyp(ReadOnlySpan<byte> brand)
    {
        var s = Encoding.ASCII.GetString(brand);
        return s switch
        {
            "qt  " => "video/quicktime",
            "avif" or "avis" => "image/avif",
            "heic" or "heix" or "mif1" => "image/heic",
            "M4A " => "audio/mp4",
            "3gp4" or "3gp5" or "3g2a" => "video/3gpp",
            _ => "video/mp4",
        };
    }

    private static string Text(ReadOnlySpan<byte> b)
    {
        foreach (var c in b)
        {
            if (c < 0x09 || (c > 0x0D && c < 0x20 && c != 0x1B)) return "application/octet-stream";
        }
        var start = b;
        if (Starts(start, [0xEF, 0xBB, 0xBF])) start = start[3..];
        var text = Encoding.UTF8.GetString(start).TrimStart().ToLowerInvariant();
        if (text.StartsWith("<!doctype html", StringComparison.Ordinal) || text.StartsWith("<html", StringComparison.Ordinal)
            || text.StartsWith("<head", StringComparison.Ordinal) || text.StartsWith("<body", StringComparison.Ordinal)
            || text.StartsWith("<script", StringComparison.Ordinal) || text.StartsWith("<iframe", StringComparison.Ordinal))
        {
            return "text/html; charset=utf-8";
        }
        if (text.StartsWith("<svg", StringComparison.Ordinal) || (text.StartsWith("<?xml", StringComparison.Ordinal) && text.Contains("<svg", StringComparison.Ordinal)))
            return "image/svg+xml";
        if (text.StartsWith("<?xml", StringComparison.Ordinal)) return "text/xml; charset=utf-8";
        if (text.StartsWith('{') || text.StartsWith('[')) return "application/json";
        if (text.StartsWith('<') && text.Contains("<script", StringComparison.Ordinal)) return "text/html; charset=utf-8";
        return "text/plain; charset=utf-8";
    }

    private static bool Starts(ReadOnlySpan<byte> b, ReadOnlySpan<byte> prefix) => b.StartsWith(prefix);

    /// <summary>The type without parameters, lowercased ("text/plain; charset=utf-8" → "text/plain").</summary>
    public static string Essence(string contentType)
    {
        var semi = contentType.IndexOf(';', StringComparison.Ordinal);
        return (semi < 0 ? contentType : contentType[..semi]).Trim().ToLowerInvariant();
    }

    /// <summary>An extension for a file that came without one.</summary>
    public static string ExtensionFor(string contentType) => Essence(contentType) switch
    {
        "image/png" => ".png",
        "image/jpeg" => ".jpg",
        "image/gif" => ".gif",
        "image/webp" => ".webp",
        "image/bmp" => ".bmp",
        "image/svg+xml" => ".svg",
        "image/tiff" => ".tiff",
        "image/x-icon" => ".ico",
        "application/pdf" => ".pdf",
        "application/zip" => ".zip",
        "application/gzip" => ".gz",
        "application/json" => ".json",
        "text/html" => ".html",
        "text/xml" => ".xml",
        "text/plain" => ".txt",
        "audio/mpeg" => ".mp3",
        "video/mp4" => ".mp4",
        "video/webm" => ".webm",
        _ => "",
    };

    /// <summary>True when the type is one of the allowed ones (exact match on the essence; "image/*" style wildcards allowed).</summary>
    public static bool IsAllowed(string contentType, IReadOnlyCollection<string> allowed)
    {
        if (allowed.Count == 0) return true;
        var essence = Essence(contentType);
        foreach (var a in allowed)
        {
            var t = a.Trim().ToLowerInvariant();
            if (t == essence) return true;
            if (t.EndsWith("/*", StringComparison.Ordinal) && essence.StartsWith(t[..^1], StringComparison.Ordinal)) return true;
        }
        return false;
    }
}
