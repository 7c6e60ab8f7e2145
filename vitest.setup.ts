// tsyringe needs the Reflect metadata polyfill once per process, before any container is used.
import 'reflect-metadata';
