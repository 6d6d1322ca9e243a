namespace PaperGao.Core.Data;

/// <summary>The parameters of one SQL statement: Add returns the placeholder ("@p0", "@p1", ...).</summary>
public sealed class SqlParams
{
    private readonly List<object?> _values = [];

    public IReadOnlyList<object?> Values => _values;

    public string Add(object? value)
    {
        _values.Add(value);
        return "@p" + (_values.Count - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public void BindTo(System.Data.Common.DbCommand command, ISqlDialect dialect)
    {
        for (var i = 0; i < _values.Count; i++)
        {
            dialect.AddParameter(command, "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), _values[i]);
        }
    }

    /// <summary>The same parameters on one statement of a batch (<see cref="ProjectDatabase.Batch"/>).</summary>
    public void BindTo(System.Data.Common.DbBatchCommand command)
    {
        for (var i = 0; i < _values.Count; i++)
        {
            var p = command.CreateParameter();
            p.ParameterName = "@p" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            p.Value = _values[i] ?? DBNull.Value;
            command.Parameters.Add(p);
        }
    }
}
