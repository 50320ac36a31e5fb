"""The benchmark's generated app, built with troposphere: the same resources, properties and
references as Formation's `formation-bench` generated app (see Sources/formation-bench/GeneratedApp.swift).

Each unit of five resources is a realistic serverless slice: a log group, an IAM role whose inline
policy names that log group, a Lambda function using the role, an SSM parameter holding the
function's ARN, and an alarm on the function's errors. Units are spread over stacks of at most 500
resources.

Usage: python troposphere_app.py RESOURCES RUNS
Prints one JSON line: {"resources": N, "runs": [seconds, ...], "bytes": total_json_bytes}.
"""
import json
import sys
import time

from troposphere import GetAtt, Ref, Sub, Template
from troposphere import awslambda, cloudwatch, iam, logs, ssm

PER_STACK = 500
PER_UNIT = 5

HANDLER = "def handler(event, context):\n    return {'ok': True}\n"


def build_stack(first_unit, units):
    template = Template()
    template.set_version("2010-09-09")
    template.set_description(f"Generated benchmark stack from unit {first_unit}")
    for unit in range(first_unit, first_unit + units):
        group = template.add_resource(logs.LogGroup(
            f"Logs{unit}",
            LogGroupName=f"/aws/lambda/bench-fn-{unit}",
            RetentionInDays=30,
        ))
        role = template.add_resource(iam.Role(
            f"Role{unit}",
            AssumeRolePolicyDocument={
                "Version": "2012-10-17",
                "Statement": [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}],
            },
            Policies=[iam.Policy(
                PolicyName="logs",
                PolicyDocument={
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                                   "Resource": GetAtt(group, "Arn")}],
                },
            )],
        ))
        function = template.add_resource(awslambda.Function(
            f"Function{unit}",
            FunctionName=f"bench-fn-{unit}",
            Runtime="python3.12",
            Handler="index.handler",
            Role=GetAtt(role, "Arn"),
            MemorySize=256,
            Timeout=30,
            Code=awslambda.Code(ZipFile=HANDLER),
            Environment=awslambda.Environment(Variables={"LOG_GROUP": Ref(group), "UNIT": str(unit)}),
        ))
        template.add_resource(ssm.Parameter(
            f"FunctionArn{unit}",
            Name=f"/bench/functions/{unit}/arn",
            Type="String",
            Value=GetAtt(function, "Arn"),
        ))
        template.add_resource(cloudwatch.Alarm(
            f"Errors{unit}",
            AlarmName=Sub("${AWS::StackName}-errors-" + str(unit)),
            Namespace="AWS/Lambda",
            MetricName="Errors",
            Dimensions=[cloudwatch.MetricDimension(Name="FunctionName", Value=Ref(function))],
            Statistic="Sum",
            Period=300,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="GreaterThanOrEqualToThreshold",
            TreatMissingData="notBreaching",
        ))
    return template


def build_app(resources):
    units = resources // PER_UNIT
    per_stack_units = PER_STACK // PER_UNIT
    total = 0
    for first in range(0, units, per_stack_units):
        template = build_stack(first, min(per_stack_units, units - first))
        total += len(template.to_json(indent=2))
    return total


def main():
    resources = int(sys.argv[1])
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    timings = []
    size = 0
    for _ in range(runs):
        start = time.perf_counter()
        size = build_app(resources)
        timings.append(time.perf_counter() - start)
    print(json.dumps({"resources": resources, "runs": timings, "bytes": size}))


if __name__ == "__main__":
    main()
