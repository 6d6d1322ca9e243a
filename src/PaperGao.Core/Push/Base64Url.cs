namespace PaperGao.Core.Push;

/// <summary>Unpadded base64url (RFC 4648 §5), the encoding Web Push uses for keys and JWT parts; padding is accepted on input.</summary>
public static class Base64Url
{
    public static string Encode(ReadOnlySpan<byte> data) => System.Buffers.Text.Base64Url.EncodeToString(data);

    /// <summary>The decoded bytes, or null when the text is not base64url.</summary>
    public static byte[]? TryDecode(string? text)
    {
        if (string.IsNullOrEmpty(text)) return null;
        var trimmed = text.TrimEnd('=');
        foreach (var ch in trimmed)
        {
            if (!(char.IsAsciiLetterOrDigit(ch) || ch is '-' or '_')) return null;
        }
        try { return System.Buffers.Text.Base64Url.DecodeFromChars(trimmed); }
        catch (FormatException) { return null; }
    }
}
