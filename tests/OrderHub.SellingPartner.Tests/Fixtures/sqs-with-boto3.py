"""SQS with boto3 against an endpoint: a client that is not OrderHub's judges the emulator's queues.

Usage: python3 sqs-with-boto3.py ENDPOINT REGION ACCESS_KEY SECRET_KEY QUEUE_NAME

Receives what the queue holds (the notifications the test made the emulator send), then works a message of its own
through send, receive, a second receive while it is in flight, a visibility change, a redelivery and a delete, and
provokes two errors. Prints one JSON object: what each step saw.
"""

import hashlib
import json
import sys

import boto3
import botocore
from botocore.exceptions import ClientError

endpoint, region, access_key, secret_key, queue_name = sys.argv[1:6]


def client(secret):
    return boto3.client(
        "sqs",
        endpoint_url=endpoint,
        region_name=region,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret,
        config=botocore.config.Config(retries={"max_attempts": 1}),
    )


sqs = client(secret_key)
seen = {"botocore": botocore.__version__, "protocol": sqs.meta.service_model.protocol}
url = sqs.get_queue_url(QueueName=queue_name)["QueueUrl"]

notices = []
while True:
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=1, AttributeNames=["All"])
    messages = got.get("Messages", [])
    if not messages:
        break
    for message in messages:
        body = json.loads(message["Body"])
        notices.append({
            "type": body["NotificationType"],
            "orderId": body["Payload"]["OrderChangeNotification"]["AmazonOrderId"],
            "md5Matches": hashlib.md5(message["Body"].encode("utf-8")).hexdigest() == message["MD5OfBody"],
            "receiveCount": int(message["Attributes"]["ApproximateReceiveCount"]),
        })
        sqs.delete_message(QueueUrl=url, ReceiptHandle=message["ReceiptHandle"])
seen["notices"] = notices

sent = sqs.send_message(
    QueueUrl=url,
    MessageBody="hello from boto3 \u00e9",
    MessageAttributes={"kind": {"DataType": "String", "StringValue": "probe"}, "size": {"DataType": "Number", "StringValue": "42"}},
)
first = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5, VisibilityTimeout=60, MessageAttributeNames=["All"], AttributeNames=["ApproximateReceiveCount"])["Messages"][0]
while_in_flight = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=0).get("Messages", [])
sqs.change_message_visibility(QueueUrl=url, ReceiptHandle=first["ReceiptHandle"], VisibilityTimeout=0)
second = sqs.receive_message(QueueUrl=url, WaitTimeSeconds=5, AttributeNames=["ApproximateReceiveCount"])["Messages"][0]
sqs.delete_message(QueueUrl=url, ReceiptHandle=second["ReceiptHandle"])
attributes = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["All"])["Attributes"]
seen["own"] = {
    "sameMessage": sent["MessageId"] == first["MessageId"] == second["MessageId"],
    "body": first["Body"],
    "kind": first["MessageAttributes"]["kind"]["StringValue"],
    "firstCount": int(first["Attributes"]["ApproximateReceiveCount"]),
    "inFlightReceived": len(while_in_flight),
    "secondCount": int(second["Attributes"]["ApproximateReceiveCount"]),
    "leftAfterDelete": int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"]),
    "queueArn": attributes["QueueArn"],
}

errors = {}
try:
    sqs.get_queue_url(QueueName="no-such-queue")
except ClientError as e:
    errors["missingQueue"] = {"code": e.response["Error"]["Code"], "modeled": isinstance(e, sqs.exceptions.QueueDoesNotExist)}
try:
    client("not-the-secret").get_queue_url(QueueName=queue_name)
except ClientError as e:
    errors["wrongSecret"] = {"code": e.response["Error"]["Code"], "status": e.response["ResponseMetadata"]["HTTPStatusCode"]}
seen["errors"] = errors

print(json.dumps(seen))
