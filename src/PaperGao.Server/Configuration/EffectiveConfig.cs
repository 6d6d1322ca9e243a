namespace PaperGao.Server.Configuration;

/// <summary>Where an option's value came from, lowest precedence first.</summary>
public enum OptionSource
{
    Default,
    File,
    Environment,
    CommandLine,
}

/// <summary>The resolved value of every option and where it came from (what <c>papergao config print</c> shows).</summary>
public sealed class EffectiveConfig
{
    private readonly Dictionary<string, (string? Value, OptionSource Source)> _values = [];

    public string? ConfigFile { get; init; }

    public void Set(ServerOption option, string? value, OptionSource source) => _values[option.Name] = (value, source);

    public string? this[string name] => _values.TryGetValue(name, out var v) ? v.Value : Find(name).Default;

    public OptionSource SourceOf(string name) => _values.TryGetValue(name, out var v) ? v.Source : OptionSource.Default;

    /// <summary>The value when one was given or has a default; null when unset.</summary>
    public string? Get(string name) => this[name];

    public bool IsSet(string name) => SourceOf(name) != OptionSource.Default;

    private static ServerOption Find(string name) =>
        OptionCatalog.All.FirstOrDefault(o => o.Name == name) ?? throw new ArgumentException("no option " + name, nameof(name));
}
