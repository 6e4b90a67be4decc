using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace MerchantConsole.Data;

/// <summary>
/// A compiled query (<see cref="EF.CompileAsyncQuery"/>) for each model it meets. EF binds a compiled query to the first
/// model it runs on and refuses any other, and one process has several: the merchant-scoped and the across-merchants
/// model of its provider (<see cref="MerchantModelCacheKeyFactory"/>), and in tests more than one provider.
/// </summary>
public sealed class CompiledPerModel<TQuery>(Func<TQuery> compile) where TQuery : class
{
    private readonly ConditionalWeakTable<IModel, TQuery> _byModel = new();

    public TQuery For(DbContext db) => _byModel.GetValue(db.Model, _ => compile());
}
