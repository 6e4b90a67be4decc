using System.Linq.Expressions;
using System.Reflection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MerchantConsole.Data;

/// <summary>
/// Searches ignore case on every provider: SQLite's <c>LIKE</c> and SQL Server's default collation already do, PostgreSQL's
/// <c>LIKE</c> does not. On PostgreSQL each <c>EF.Functions.Like</c> (see <see cref="LikePattern"/>) becomes <c>ILIKE</c>
/// before the query is translated, so the features write one search for all three.
/// </summary>
public sealed class PostgreSqlCaseInsensitiveLike : IQueryExpressionInterceptor
{
    private static readonly MethodInfo Like = typeof(DbFunctionsExtensions).GetMethod(nameof(DbFunctionsExtensions.Like),
        [typeof(DbFunctions), typeof(string), typeof(string)])!;
    private static readonly MethodInfo LikeEscaped = typeof(DbFunctionsExtensions).GetMethod(nameof(DbFunctionsExtensions.Like),
        [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;
    private static readonly MethodInfo ILike = typeof(NpgsqlDbFunctionsExtensions).GetMethod(nameof(NpgsqlDbFunctionsExtensions.ILike),
        [typeof(DbFunctions), typeof(string), typeof(string)])!;
    private static readonly MethodInfo ILikeEscaped = typeof(NpgsqlDbFunctionsExtensions).GetMethod(nameof(NpgsqlDbFunctionsExtensions.ILike),
        [typeof(DbFunctions), typeof(string), typeof(string), typeof(string)])!;

    public Expression QueryCompilationStarting(Expression queryExpression, QueryExpressionEventData eventData) =>
        new Rewriter().Visit(queryExpression);

    private sealed class Rewriter : ExpressionVisitor
    {
        protected override Expression VisitMethodCall(MethodCallExpression node)
        {
            var call = (MethodCallExpression)base.VisitMethodCall(node);
            if (call.Method == Like)
                return Expression.Call(ILike, call.Arguments);
            if (call.Method == LikeEscaped)
                return Expression.Call(ILikeEscaped, call.Arguments);
            return call;
        }
    }
}
