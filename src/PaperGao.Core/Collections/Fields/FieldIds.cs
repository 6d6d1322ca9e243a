using System.Globalization;
using System.Text;

namespace PaperGao.Core.Collections.Fields;

/// <summary>
/// Default field ids (§1.6): the type name followed by the decimal CRC32-IEEE checksum of the field name,
/// e.g. For("text", "id") == "text3208210256".
/// </summary>
public static class FieldIds
{
    private static readonly uint[] Table = BuildTable();

    public static string For(string type, string name) =>
        type + Crc32(Encoding.UTF8.GetBytes(name)).ToString(CultureInfo.InvariantCulture);

    /// <summary>CRC32 with the IEEE 802.3 polynomial (reflected 0xEDB88320), as Go's crc32.ChecksumIEEE.</summary>
    public static uint Crc32(ReadOnlySpan<byte> data)
    {
        var crc = 0xFFFFFFFFu;
        foreach (var b in data) crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        return ~crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            var c = i;
            for (var k = 0; k < 8; k++) c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
            table[i] = c;
        }
        return table;
    }
}
