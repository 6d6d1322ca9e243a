namespace PaperGao.Server.Configuration;

/// <summary>What kind of value an option takes; <see cref="OptionValues"/> checks and reads each.</summary>
public enum OptionKind
{
    Text,
    Address,
    PositiveInt,
    PositiveSeconds,
    /// <summary>Seconds; zero or less turns the limit off.</summary>
    SecondsOrOff,
    /// <summary>A TimeSpan such as 06:00:00; zero or less turns the job off.</summary>
    Interval,
    List,
    LogFormat,
    /// <summary>A secret of at least 16 characters, always shown masked.</summary>
    Token,
    /// <summary>transaction or after-commit.</summary>
    RealtimeNotify,
}

/// <summary>
/// One server option and its three spellings: <c>--name</c> on the command line, <c>PAPERGAO_NAME</c> in the
/// environment and a key (dotted path) in the config file. <see cref="LegacyKey"/> is the older
/// <c>--PaperGao:Key=value</c> host-style switch, still accepted on the command line.
/// </summary>
public sealed record ServerOption(string Name, string FileKey, OptionKind Kind, string? Default, string Help, string? LegacyKey = null, bool Secret = false)
{
    public string Flag => "--" + Name;

    public string EnvVar => "PAPERGAO_" + Name.Replace('-', '_').ToUpperInvariant();
}
