import { stepNamed, synthChecks } from './support';
import { Check } from '../../../src/delivery/check';
import { Toolchain } from '../../../src/delivery/toolchain';
import { ServiceContainer } from '../../../src/github/service-container';
import { expectValid } from '../../support/harness';

describe('a check in its own directory (seed 000: api/ and reco/ of one repository)', () => {
  test('moves its commands and reports, never the toolchain install, which stays in the repository root', () => {
    const { files, doc } = synthChecks([
      Check.test('api-tests', ['pytest --cov=src'], { workingDirectory: 'api', services: [ServiceContainer.postgres('13')], codecov: true }),
    ], { toolchain: Toolchain.python('3.10', { install: 'python -m pip install -r api/requirements.txt -r reco/requirements.txt' }) });
    expectValid(files);
    const job = doc.jobs['api-tests'];
    expect(job.defaults).toEqual({ run: { 'working-directory': 'api' } });
    expect(stepNamed(job, 'Install dependencies')['working-directory']).toBe('.');
    expect(stepNamed(job, 'pytest --cov=src')['working-directory']).toBeUndefined();
    expect(stepNamed(job, 'Write the coverage report')['working-directory']).toBeUndefined();
    expect(stepNamed(job, 'Upload reports').with.path).toBe('api/test-reports/');
  });

  test('Poetry: the venv step stays in the toolchain directory too', () => {
    const { doc } = synthChecks([Check.lint(['ruff check .'], { workingDirectory: 'services/api' })], {
      toolchain: Toolchain.python('3.12', { install: 'poetry install' }),
    });
    const job = doc.jobs.lint;
    expect(stepNamed(job, 'Install dependencies')['working-directory']).toBe('.');
    expect(stepNamed(job, 'Use the project virtual environment')['working-directory']).toBe('.');
    expect(stepNamed(job, 'ruff check .')['working-directory']).toBeUndefined();
  });

  test('unchanged when the check runs where the toolchain does', () => {
    const inRoot = synthChecks([Check.lint(['ruff check .'])], { toolchain: Toolchain.python('3.12') }).doc.jobs.lint;
    expect(inRoot.defaults).toBeUndefined();
    expect(stepNamed(inRoot, 'Install dependencies')['working-directory']).toBeUndefined();
    const inBackend = synthChecks([Check.lint(['ruff check .'])], { toolchain: Toolchain.python('3.12', { workingDirectory: 'backend' }) }).doc.jobs.lint;
    expect(inBackend.defaults).toEqual({ run: { 'working-directory': 'backend' } });
    expect(stepNamed(inBackend, 'Install dependencies')['working-directory']).toBe('backend');
  });
});
