using Acornima;
using Jint;
using Jint.Constraints;
using Jint.Native;
using Jint.Runtime.Interop;
using PaperGao.Functions.Js;

namespace PaperGao.Functions.Engine;

/// <summary>
/// One Jint engine with every function file of a set loaded once (closures and module state live as long as the
/// engine). Used by one call at a time (the pool hands it out); a call that broke a limit discards it.
/// </summary>
public sealed class FunctionEngine
{
    private static readonly string PreludeCode = ReadPrelude();
    private readonly OperationDeadlineConstraint _deadline = new();
    private readonly FairShareConstraint _fairShare = new();
    private readonly List<Registration> _registrations = [];
    private readonly Dictionary<string, JsValue> _modules = new(StringComparer.Ordinal);
    private readonly HashSet<string> _loading = new(StringComparer.Ordinal);
    private readonly IReadOnlyDictionary<string, FunctionFile> _files;
    private string _currentFile = "";
    private bool _loaded;

    public FunctionEngine(FunctionRuntimeContext context, IReadOnlyDictionary<string, FunctionFile> files, FunctionLimits limits)
    {
        Context = context;
        Limits = limits;
        _files = files;
        Js = new Jint.Engine(o =>
        {
            o.Strict(false);
            o.RetainFunctionSourceText = true; // fn.toString() gives the source; TailNext reads handlers with it
            o.LimitRecursion(limits.MaxRecursion);
            o.MaxStatements(limits.MaxStatements);
            o.LimitMemory(limits.MaxMemoryBytes);
            o.RegexTimeoutInterval(limits.RegexTimeout);
            o.Constraint(_deadline);
            o.Constraint(_fairShare);
            o.Interop.AllowGetType = false;
            o.Interop.AllowSystemReflection = false;
            o.Interop.AllowWrite = true;
            o.SetTypeResolver(new TypeResolver { MemberNameComparer = StringComparer.OrdinalIgnoreCase });
        });
        Host = new JsHost(this);
        App = new JsApp(this, null);
        Js.SetValue("__host", Host);
        Js.SetValue("$app", App);
        Js.SetValue("$security", new JsSecurity(this));
        Js.SetValue("$http", new JsHttp(this));
        Js.SetValue("$os", new JsOs(this));
        Js.SetValue("$push", new JsPush(this));
        Js.SetValue("$mails", new JsMails(this));
        Js.Execute(PreludeCode, "prelude.js");
    }

    public Jint.Engine Js { get; }
    public JsHost Host { get; }
    public JsApp App { get; }
    public FunctionRuntimeContext Context { get; }

    /// <summary>The limits this engine was built with.</summary>
    public FunctionLimits Limits { get; }
    public IReadOnlyList<Registration> Registrations => _registrations;

    /// <summary>The file whose top level is running (registrations and log lines name it).</summary>
    public string CurrentFile => _currentFile;

    /// <summary>Set when a call broke a limit: the engine's state cannot be trusted and it is not reused.</summary>
    public bool Broken { get; set; }

    /// <summary>Loads the entry files (*.pb.js, in name order); other files load when required. Throws FunctionLoadException.</summary>
    public void Load(TimeSpan budget)
    {
        _deadline.Begin(budget, CancellationToken.None);
        try
        {
            foreach (var f in _files.Values.Where(f => f.Name.EndsWith(".pb.js", StringComparison.Ordinal) && !f.Name.Contains('/', StringComparison.Ordinal))
                         .OrderBy(f => f.Name, StringComparer.Ordinal))
            {
                RequireFile(f.Name);
            }
        }
        finally
        {
            _deadline.End();
        }
        _loaded = true;
    }

    public bool IsLoaded => _loaded;

    public void RemoveCron(string id)
    {
        if (_loaded) throw new Jint.Runtime.JavaScriptException(Js.Intrinsics.Error, "cronRemove can only be called when the file loads.");
        _registrations.RemoveAll(r => r.Kind == RegistrationKind.Cron && r.Key == id);
    }

    public void Register(Registration r)
    {
        if (_loaded) throw new Jint.Runtime.JavaScriptException(Js.Intrinsics.Error, "routerAdd/routerUse/on*/cronAdd can only be called when the file loads.");
        if (r.Kind == RegistrationKind.Cron) _registrations.RemoveAll(x => x.Kind == RegistrationKind.Cron && x.Key == r.Key);
        _registrations.Add(r);
    }

    /// <summary>CommonJS require of another file of the functions folder (relative to the folder, never outside it).</summary>
    public JsValue RequireFile(string name)
    {
        var key = Normalize(name);
        if (_modules.TryGetValue(key, out var cached)) return cached;
        if (!_files.TryGetValue(key, out var file)) throw new Jint.Runtime.JavaScriptException(Js.Intrinsics.Error, $"Cannot find module '{name}' in the functions folder.");
        if (!_loading.Add(key)) throw new Jint.Runtime.JavaScriptException(Js.Intrinsics.Error, $"Circular require of '{name}'.");
        var previous = _currentFile;
        _currentFile = key;
        try
        {
            var module = new Jint.Native.JsObject(Js);
            var exports = new Jint.Native.JsObject(Js);
            module.Set("exports", exports);
            // The wrapper starts on the file's first line, so error lines are the file's own.
            var wrapped = "(function (module, exports, __filename) {" + file.Code + "\n})";
            JsValue fn;
            try
            {
                fn = Js.Evaluate(wrapped, key);
            }
            catch (ParseErrorException e)
            {
                var column = e.LineNumber == 1 ? Math.Max(1, e.Column - "(function (module, exports, __filename) {".Length) : e.Column;
                throw new FunctionLoadException(key, e.LineNumber, column, e.Description ?? e.Message, e);
            }
            Js.Invoke(fn, JsValue.Undefined, [module, exports, key]);
            var result = module.Get("exports");
            _modules[key] = result;
            return result;
        }
        finally
        {
            _loading.Remove(key);
            _currentFile = previous;
        }
    }

    /// <summary>Starts the time budget of a top-level call (nested calls share it).</summary>
    public void BeginCall(TimeSpan budget, CancellationToken ct)
    {
        _deadline.Begin(budget, ct);
        _fairShare.Begin();
    }

    public void EndCall()
    {
        _fairShare.End();
        _deadline.End();
    }

    /// <summary>Checks the limits from host code that waits (sleep, long host calls).</summary>
    public void CheckLimits() => Js.Constraints.Check();

    private static string Normalize(string name)
    {
        var n = name.Replace('\\', '/');
        while (n.StartsWith("./", StringComparison.Ordinal)) n = n[2..];
        if (n.Contains("..", StringComparison.Ordinal) || n.StartsWith('/')) return "\0invalid";
        if (!n.EndsWith(".js", StringComparison.Ordinal)) n += ".js";
        return n;
    }

    private static string ReadPrelude()
    {
        using var s = typeof(FunctionEngine).Assembly.GetManifestResourceStream("PaperGao.Functions.Engine.Prelude.js")
                      ?? throw new InvalidOperationException("the functions prelude is not embedded");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
