import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { AWS_APIS, AwsApis } from '../aws/aws.ports';

/** Closes the AWS connection pool when the application shuts down. */
@Injectable()
export class AwsLifecycle implements OnApplicationShutdown {
  constructor(@Inject(AWS_APIS) private readonly aws: AwsApis & { destroy?: () => void }) {}

  onApplicationShutdown(): void {
    this.aws.destroy?.();
  }
}
