using DurablePipelines.Validation;

namespace DurablePipelines.Tests.Validation;

public class ValidationErrorTests
{
    [Fact]
    public void ToString_Error_IsPathColonMessage()
    {
        var error = new ValidationError("$.tasks[2].parents[0]", ValidationCodes.UnknownParent, "unknown task 'extrct' (did you mean 'extract'?)");

        Assert.Equal("$.tasks[2].parents[0]: unknown task 'extrct' (did you mean 'extract'?)", error.ToString());
    }

    [Fact]
    public void PipelineValidationException_OneError_IsThatError()
    {
        var ex = new PipelineValidationException([new ValidationError("$.name", "required", "'name' is required")]);

        Assert.Equal("$.name: 'name' is required", ex.Message);
    }

    [Fact]
    public void PipelineValidationException_SeveralErrors_ListsEveryOne()
    {
        ValidationError[] errors = [new("$.name", "required", "'name' is required"), new("$.ttl", "duration", "'ttl' must be longer than zero")];

        var ex = new PipelineValidationException(errors);

        Assert.Equal("2 errors:\n  $.name: 'name' is required\n  $.ttl: 'ttl' must be longer than zero", ex.Message);
        Assert.Same(errors, ex.Errors);
    }
}
